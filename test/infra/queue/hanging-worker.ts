// A worker process that takes one job and never finishes it, to be killed mid-job by a test.
import { openQueue } from './queue-under-test.js';

const [queueName, databaseUrl, sqlitePath] = process.argv.slice(2);
const { queue } = await openQueue({ databaseUrl: databaseUrl || undefined, sqlitePath: sqlitePath ?? '' });
await queue.work(
  queueName ?? 'missing',
  async (job) => {
    process.stdout.write(`claimed ${job.id} attempt ${job.attempt}\n`);
    await new Promise(() => undefined);
  },
  { concurrency: 1 },
);
