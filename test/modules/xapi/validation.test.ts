import { describe, expect, it } from 'vitest';
import { validateStatement } from '../../../src/modules/xapi/statements/validation.js';
import { statement } from '../../support/lrs.js';

const activity = (definition: Record<string, unknown>) => statement({ object: { id: 'http://example.com/q1', definition } });
const faultOf = (value: unknown): string | undefined => {
  try {
    validateStatement(value);
    return undefined;
  } catch (error) {
    return (error as { details?: { path: string } }).details?.path;
  }
};

describe('statement validation', () => {
  it('accepts the statements the specification describes', () => {
    const valid = [
      statement(),
      statement({ id: 'fd41c918-b88b-4b20-a0a5-a4c32391aaa0', timestamp: '2013-05-18T05:32:34.804+00:00', version: '1.0.0' }),
      statement({ actor: { objectType: 'Group', name: 'Team', member: [{ mbox_sha1sum: 'a'.repeat(40) }, { openid: 'http://openid.example.org/bob' }] } }),
      statement({ actor: { objectType: 'Group', account: { homePage: 'http://example.com', name: 'team-1' } } }),
      statement({ object: { objectType: 'Agent', account: { homePage: 'http://example.com', name: '1625' } } }),
      statement({ object: { objectType: 'StatementRef', id: 'fd41c918-b88b-4b20-a0a5-a4c32391aaa0' } }),
      statement({ object: { objectType: 'SubStatement', actor: { mbox: 'mailto:a@b.c' }, verb: { id: 'http://example.com/v' }, object: { id: 'http://example.com/a' } } }),
      activity({ interactionType: 'choice', correctResponsesPattern: ['golf[,]tetris'], choices: [{ id: 'golf', description: { 'en-US': 'Golf' } }, { id: 'tetris' }] }),
      activity({ interactionType: 'matching', source: [{ id: 'a' }], target: [{ id: '1' }], correctResponsesPattern: ['a[.]1'] }),
      activity({ interactionType: 'likert', scale: [{ id: 'likert_0' }] }),
      activity({ interactionType: 'performance', steps: [{ id: 'pong' }] }),
      activity({ type: 'http://adlnet.gov/expapi/activities/cmi.interaction', moreInfo: 'http://example.com/more', extensions: { 'http://example.com/ext': { anything: [1, null] } } }),
      statement({ result: { score: { scaled: 0.95, raw: 95, min: 0, max: 100 }, success: true, completion: true, response: 'x', duration: 'PT1H0M0.5S' } }),
      statement({ result: { duration: 'P1DT12H' } }),
      statement({ context: { registration: 'ec531277-b57b-4c15-8d91-d292c5b2b8f7', instructor: { mbox: 'mailto:t@x.y' }, team: { objectType: 'Group', mbox: 'mailto:team@x.y' }, contextActivities: { parent: { id: 'http://example.com/p' }, grouping: [{ id: 'http://example.com/g' }] }, revision: '1', platform: 'Web', language: 'en-US', statement: { objectType: 'StatementRef', id: 'fd41c918-b88b-4b20-a0a5-a4c32391aaa0' } } }),
      statement({ timestamp: '2013-05-18T05:32:34Z' }),
      statement({ timestamp: '2013-05-18T05:32:34.804+0530' }),
    ];
    valid.forEach((value, index) => expect(faultOf(value), `valid case ${index}`).toBeUndefined());
  });

  it.each([
    ['no actor', statement({ actor: undefined }), 'statement.actor'],
    ['no verb', statement({ verb: undefined }), 'statement.verb'],
    ['an unknown property', statement({ colour: 'blue' }), 'statement.colour'],
    ['a null property', statement({ result: null }), 'statement.result'],
    ['an id that is not a UUID', statement({ id: 'not-a-uuid' }), 'statement.id'],
    ['an agent with two identifiers', statement({ actor: { mbox: 'mailto:a@b.c', openid: 'http://x.y' } }), 'statement.actor'],
    ['an agent with no identifier', statement({ actor: { name: 'Nobody' } }), 'statement.actor'],
    ['an mbox without mailto:', statement({ actor: { mbox: 'a@b.c' } }), 'statement.actor.mbox'],
    ['an mbox_sha1sum that is no SHA-1', statement({ actor: { mbox_sha1sum: 'abc' } }), 'statement.actor.mbox_sha1sum'],
    ['an account without homePage', statement({ actor: { account: { name: 'x' } } }), 'statement.actor.account.homePage'],
    ['a wrong agent objectType', statement({ actor: { objectType: 'Person', mbox: 'mailto:a@b.c' } }), 'statement.actor.objectType'],
    ['an anonymous group without members', statement({ actor: { objectType: 'Group', name: 'x' } }), 'statement.actor.member'],
    ['a group as a member of a group', statement({ actor: { objectType: 'Group', member: [{ objectType: 'Group', mbox: 'mailto:g@x.y' }] } }), 'statement.actor.member[0].objectType'],
    ['a verb id that is no IRI', statement({ verb: { id: 'passed' } }), 'statement.verb.id'],
    ['a display that is no language map', statement({ verb: { id: 'http://x.y/v', display: { 'not a tag!': 'x' } } }), 'statement.verb.display.not a tag!'],
    ['an activity without id', statement({ object: { objectType: 'Activity' } }), 'statement.object.id'],
    ['an unknown objectType', statement({ object: { objectType: 'Thing', id: 'http://x.y' } }), 'statement.object.objectType'],
    ['an agent object without objectType is read as an activity', statement({ object: { mbox: 'mailto:a@b.c' } }), 'statement.object.mbox'],
    ['a StatementRef id that is no UUID', statement({ object: { objectType: 'StatementRef', id: '42' } }), 'statement.object.id'],
    ['a SubStatement with an id', statement({ object: { objectType: 'SubStatement', id: 'fd41c918-b88b-4b20-a0a5-a4c32391aaa0', actor: { mbox: 'mailto:a@b.c' }, verb: { id: 'http://x.y/v' }, object: { id: 'http://x.y/a' } } }), 'statement.object.id'],
    ['a SubStatement inside a SubStatement', statement({ object: { objectType: 'SubStatement', actor: { mbox: 'mailto:a@b.c' }, verb: { id: 'http://x.y/v' }, object: { objectType: 'SubStatement', actor: { mbox: 'mailto:a@b.c' }, verb: { id: 'http://x.y/v' }, object: { id: 'http://x.y/a' } } } }), 'statement.object.object'],
    ['an unknown interactionType', activity({ interactionType: 'essay' }), 'statement.object.definition.interactionType'],
    ['choices on a likert interaction', activity({ interactionType: 'likert', choices: [{ id: 'a' }] }), 'statement.object.definition.choices'],
    ['duplicate component ids', activity({ interactionType: 'choice', choices: [{ id: 'a' }, { id: 'a' }] }), 'statement.object.definition.choices[1].id'],
    ['a correct response without interactionType', activity({ correctResponsesPattern: ['a'] }), 'statement.object.definition.correctResponsesPattern'],
    ['an extension key that is no IRI', activity({ extensions: { color: 'red' } }), 'statement.object.definition.extensions key "color"'],
    ['a scaled score above 1', statement({ result: { score: { scaled: 1.5 } } }), 'statement.result.score.scaled'],
    ['a raw score above max', statement({ result: { score: { raw: 11, min: 0, max: 10 } } }), 'statement.result.score.raw'],
    ['min not below max', statement({ result: { score: { min: 5, max: 5 } } }), 'statement.result.score.min'],
    ['success as a string', statement({ result: { success: 'true' } }), 'statement.result.success'],
    ['a duration that is no ISO 8601 duration', statement({ result: { duration: '90 seconds' } }), 'statement.result.duration'],
    ['a registration that is no UUID', statement({ context: { registration: 'abc' } }), 'statement.context.registration'],
    ['a team that is an agent', statement({ context: { team: { mbox: 'mailto:a@b.c' } } }), 'statement.context.team.objectType'],
    ['a context activity kind unknown', statement({ context: { contextActivities: { sibling: [] } } }), 'statement.context.contextActivities.sibling'],
    ['revision with an agent object', statement({ object: { objectType: 'Agent', mbox: 'mailto:a@b.c' }, context: { revision: '2' } }), 'statement.context.revision'],
    ['platform with a StatementRef object', statement({ object: { objectType: 'StatementRef', id: 'fd41c918-b88b-4b20-a0a5-a4c32391aaa0' }, context: { platform: 'Web' } }), 'statement.context.platform'],
    ['a timestamp that is no ISO 8601', statement({ timestamp: 'yesterday' }), 'statement.timestamp'],
    ['a timestamp with the offset -00:00', statement({ timestamp: '2013-05-18T05:32:34.804-00:00' }), 'statement.timestamp'],
    ['a timestamp that is no real date', statement({ timestamp: '2013-13-45T05:32:34Z' }), 'statement.timestamp'],
    ['a version other than 1.0.x or 2.0.x', statement({ version: '0.95' }), 'statement.version'],
    ['an authority group that is not two agents', statement({ authority: { objectType: 'Group', member: [{ mbox: 'mailto:a@b.c' }] } }), 'statement.authority'],
    ['an attachment without length', statement({ attachments: [{ usageType: 'http://x.y/u', display: { en: 'x' }, contentType: 'text/plain', sha2: 'a'.repeat(64) }] }), 'statement.attachments[0].length'],
  ])('refuses %s with the path of the fault', (_name, value, path) => {
    expect(faultOf(value)).toBe(path);
  });
});
