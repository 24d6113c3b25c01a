/** Holds the upload journal lock of argv[2] until killed; prints `locked <pid>` once it has it. */
import { lockJournal } from '../../../electron/upload/journal-lock';

await lockJournal(process.argv[2] as string);
process.stdout.write(`locked ${process.pid}\n`);
setInterval(() => undefined, 60_000);
