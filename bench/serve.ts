/**
 * npx tsc -p tsconfig.check.json && node build/bench/serve.js [--rows N]: seeds the bench's data in a local server and keeps it running until
 * SIGINT or SIGTERM, for exploring query plans and costs by hand (psql "<url printed>"). Removes the server
 * and its directory on the signal.
 */
import { seededServer } from './data.js';

async function main(): Promise<void> {
  const i = process.argv.indexOf('--rows');
  const rows = i >= 0 ? Number(process.argv[i + 1]) : 1_000_000;
  const { server, size } = await seededServer(rows, 2);
  process.stdout.write(`${server.url('prod')} (${rows} rows, ${size})\n`);
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void server.destroy().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  setInterval(() => undefined, 1 << 30);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench serve failed: ${(error as Error).message}\n`);
  process.exit(1);
});
