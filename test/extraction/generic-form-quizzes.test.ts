import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractPackage } from '../../src/extraction/extract-package.js';
import type { ExtractionResult, Question } from '../../src/extraction/result/extraction-result.js';
import { scorm12Manifest } from '../support/packages.js';
import { writeZip } from '../support/zip-writer.js';

// Hand-written HTML quizzes: radio buttons, check boxes and text inputs in a form, graded by the
// page's JavaScript, which is where the answer key lives.

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lens-form-quiz-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let count = 0;
async function extract(files: Record<string, string>): Promise<ExtractionResult> {
  const file = path.join(dir, `quiz${++count}.zip`);
  await writeZip(file, [
    { name: 'imsmanifest.xml', data: scorm12Manifest('Form quiz', ['Quiz']) },
    ...Object.entries(files).map(([name, data]) => ({ name, data })),
  ]);
  return extractPackage(file);
}

const questionsOf = (result: ExtractionResult): Question[] => result.assessments.flatMap((a) => a.questions);
const summary = (q: Question) => [q.type, q.prompt, q.choices.map((c) => [c.text, c.correct]), q.correct_answers];

describe('HTML form quizzes graded by script', () => {
  it('reads a quiz graded through variables holding each group value, labels as the author laid them out', async () => {
    const result = await extract({
      'page1.html': `<html><head><title>Bread basics</title><script src="scripts/quiz.js"></script></head><body>
        <h1>Module quiz</h1><p>Choose one answer for each question, then press the button.</p>
        <form id="quiz1" name="quiz1" action="javascript:gradeQuiz();">
          <label for="question1">1. Which flour has the most gluten?</label><br/>
          <input type="radio" id="question1" name="question1" value="0"/> Cake flour<br/>
          <input type="radio" id="question1" name="question1" value="1"/> Bread flour<br/>
          <input type="radio" id="question1" name="question1" value="2"/> Rice flour<br/><br/>
          <label for="question1">2. What makes dough rise?</label><br/>
          <input type="radio" id="question2" name="question2" value="0"/> Salt<br/>
          <input type="radio" id="question2" name="question2" value="1"/> Sugar<br/>
          <input type="radio" id="question2" name="question2" value="2"/> Yeast<br/>
          <input type="submit" value="Submit Answers"/>
        </form>
        <a href="#">Previous</a> | <a href="#">Next</a></body></html>`,
      'scripts/quiz.js': `function gradeQuiz() {
        var answer1 = document.forms.quiz1.question1.value;
        var answer2 = document.forms.quiz1.question2.value;
        var counter = 0;
        if (answer1 == 1) { counter = counter + 1; }
        if( answer2 == 2 ) { counter = counter + 1; }
        alert("You got " + counter + " questions correct!");
      }`,
    });
    expect(questionsOf(result).map(summary)).toEqual([
      ['choice', '1. Which flour has the most gluten?', [['Cake flour', false], ['Bread flour', true], ['Rice flour', false]], ['Bread flour']],
      ['choice', '2. What makes dough rise?', [['Salt', false], ['Sugar', false], ['Yeast', true]], ['Yeast']],
    ]);
  });

  it('reads a check of which radio button is selected, with wrapping labels and the prompt just before', async () => {
    const result = await extract({
      'page1.html': `<html><body><h2>Planets</h2><div id="quiz">
        <div class="q"><p>Which planet is closest to the Sun?</p>
          <label><input type="radio" name="p1" id="p1a"> Venus</label>
          <label><input type="radio" name="p1" id="p1b"> Mercury</label>
          <label><input type="radio" name="p1" id="p1c"> Mars</label></div>
        <div class="q"><p>Which planets have rings? Pick all that apply.</p>
          <label><input type="checkbox" name="p2" id="p2a"> Saturn</label>
          <label><input type="checkbox" name="p2" id="p2b"> Earth</label>
          <label><input type="checkbox" name="p2" id="p2c"> Uranus</label></div>
        <button onclick="check()">Check answer</button><p id="out"></p></div>
        <script>
        function check() {
          var score = 0;
          if (!document.querySelector('input[name="p1"]:checked')) { alert('Please answer every question'); return; }
          if (document.getElementById('p1b').checked) { score++; }
          if (document.getElementById("p2a").checked && document.getElementById("p2c").checked && !document.getElementById("p2b").checked) score++;
          document.getElementById('out').innerHTML = 'Score: ' + score;
        }
        </script></body></html>`,
    });
    expect(questionsOf(result).map(summary)).toEqual([
      ['choice', 'Which planet is closest to the Sun?', [['Venus', false], ['Mercury', true], ['Mars', false]], ['Mercury']],
      ['multiple_response', 'Which planets have rings? Pick all that apply.', [['Saturn', true], ['Earth', false], ['Uranus', true]], ['Saturn', 'Uranus']],
    ]);
  });

  it('reads a list of correct values that goes with the questions in page order, prompts from legends', async () => {
    const result = await extract({
      'page1.html': `<html><head><script src="js/answers.js"></script></head><body><form name="quiz">
        <fieldset><legend>What colour do you get by mixing blue and yellow?</legend>
          <input type="radio" name="q1" id="q1a" value="a"><label for="q1a">Green</label>
          <input type="radio" name="q1" id="q1b" value="b"><label for="q1b">Purple</label></fieldset>
        <fieldset><legend>Which of these is a primary colour of paint?</legend>
          <input type="radio" name="q2" id="q2a" value="a"><label for="q2a">Orange</label>
          <input type="radio" name="q2" id="q2b" value="b"><label for="q2b">Red</label></fieldset>
        <input type="button" value="Submit" onclick="grade(this.form)"></form></body></html>`,
      'js/answers.js': `var correctAnswers = ["a", "b"];
        function grade(form) { var score = 0; for (var i = 0; i < 2; i++) { if (form["q" + (i + 1)].value === correctAnswers[i]) score++; } }`,
    });
    expect(questionsOf(result).map(summary)).toEqual([
      ['choice', 'What colour do you get by mixing blue and yellow?', [['Green', true], ['Purple', false]], ['Green']],
      ['choice', 'Which of these is a primary colour of paint?', [['Orange', false], ['Red', true]], ['Red']],
    ]);
  });

  it('reads a key object, form value comparisons and a text answer compared after trimming', async () => {
    const result = await extract({
      'page1.html': `<html><body><form id="f">
        <p>Which language is spoken in Flanders?</p>
        <input type="radio" name="lang" value="Dutch"> Dutch <input type="radio" name="lang" value="Danish"> Danish<br>
        <p>Which sea borders Belgium?</p>
        <input type="radio" name="sea" value="a"> The North Sea<br><input type="radio" name="sea" value="b"> The Baltic Sea<br>
        <label for="capital">What is the capital of Peru?</label> <input type="text" name="capital" id="capital">
        </form>
        <script>
          const KEY = { lang: "Dutch" };
          $("#f").on("submit", function (e) {
            let score = 0;
            if ($("input[name='lang']:checked").val() === KEY.lang) score++;
            if (document.getElementById('f').sea.value == 'a') score++;
            if (document.getElementById('capital').value.trim().toLowerCase() === 'lima') score++;
          });
        </script></body></html>`,
    });
    expect(questionsOf(result).map(summary)).toEqual([
      ['choice', 'Which language is spoken in Flanders?', [['Dutch', true], ['Danish', false]], ['Dutch']],
      ['choice', 'Which sea borders Belgium?', [['The North Sea', true], ['The Baltic Sea', false]], ['The North Sea']],
      ['fill_in', 'What is the capital of Peru?', [], ['lima']],
    ]);
  });

  it('reads the right answer from feedback that names it', async () => {
    const result = await extract({
      'page1.html': `<html><body><h3>Which gas do plants take in for photosynthesis?</h3>
        <input type="radio" name="gas" value="1"> Oxygen<br><input type="radio" name="gas" value="2"> Carbon dioxide<br>
        <input type="radio" name="gas" value="3"> Nitrogen<br><button onclick="feedback()">Check answer</button>
        <script>function feedback() { document.getElementById('fb').textContent = "Not quite. The correct answer is Carbon dioxide."; }</script>
        <p id="fb"></p></body></html>`,
    });
    expect(questionsOf(result).map(summary)).toEqual([
      ['choice', 'Which gas do plants take in for photosynthesis?', [['Oxygen', false], ['Carbon dioxide', true], ['Nitrogen', false]], ['Carbon dioxide']],
    ]);
    expect(result.pages.map((p) => p.text).join('\n')).not.toMatch(/^(Check answer|Submit)$/m);
  });

  it('reads no question from a form whose script holds no answer key', async () => {
    const result = await extract({
      'page1.html': `<html><body><p>How did you find this lesson?</p>
        <input type="radio" name="rate" value="1"> Easy <input type="radio" name="rate" value="2"> Hard
        <script>function send() { if (!document.querySelector('input[name="rate"]:checked')) alert('Pick one'); }</script></body></html>`,
    });
    expect(result.assessments).toEqual([]);
  });
});
