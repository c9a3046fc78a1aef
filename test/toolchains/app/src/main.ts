// What ts-node and tsx run: prints what the app saw, as one JSON line.
import { exercise } from './app';

exercise().then(
  (seen) => process.stdout.write(`${JSON.stringify(seen)}\n`),
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
