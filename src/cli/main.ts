import { InputError } from '../node/batch/lintPath';
import { FIX_USAGE, fixCommand } from './fix';
import { Io, UsageError } from './io';
import { LINT_USAGE, lintCommand } from './lint';
import { NEW_USAGE, newCommand } from './new';
import { REHEARSE_USAGE, rehearseCommand } from './rehearse';
import { RESUBMIT_USAGE, resubmitCommand } from './resubmit';
import { SANDBOX_USAGE, sandboxCommand } from './sandbox';
import { SPLIT_USAGE, splitCommand } from './split';
import { UPLOAD_USAGE, uploadCommand } from './upload';

const USAGE = `Usage: jumio-batch <command> [options]

Commands:
  lint <path>...            check batch folders or CSV files against Jumio's batch format
  fix <path>...             apply every certain fix (--dry-run: show the diff), then lint
  upload <folder> --host H  lint, then upload a batch over SFTP (DONE last, after verifying)
  sandbox                   run a local SFTP server that acts like Jumio's batch intake
  rehearse [folder]         lint, upload to a throw-away sandbox, show its verdict (npm start)
  split <folder>            split a batch into batches of at most 10,000 rows (--rows N)
  resubmit <folder>         a new batch of the rows from one on (--from-row N, --from-reference R)
  new [parent]              create a batch folder with a header-only input.csv (--name NAME)

Run jumio-batch <command> --help for a command's options.
  -h, --help      show this help
  -v, --version   show the version`;

const COMMANDS: Record<string, { usage: string; run: (args: string[], io: Io, signal?: AbortSignal) => Promise<number> }> = {
  lint: { usage: LINT_USAGE, run: lintCommand },
  fix: { usage: FIX_USAGE, run: fixCommand },
  upload: { usage: UPLOAD_USAGE, run: uploadCommand },
  sandbox: { usage: SANDBOX_USAGE, run: sandboxCommand },
  rehearse: { usage: REHEARSE_USAGE, run: rehearseCommand },
  split: { usage: SPLIT_USAGE, run: splitCommand },
  resubmit: { usage: RESUBMIT_USAGE, run: resubmitCommand },
  new: { usage: NEW_USAGE, run: newCommand },
};

/** Runs the CLI; returns the exit status. Never throws: every failure becomes one stderr line. */
export async function main(argv: string[], io: Io, signal?: AbortSignal): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
      (command === undefined ? io.stderr : io.stdout).write(USAGE + '\n');
      return command === undefined ? 2 : 0;
    }
    if (command === '-v' || command === '--version') {
      io.stdout.write(`${process.env.JUMIO_BATCH_VERSION ?? '0.0.0'}\n`);
      return 0;
    }
    const c = COMMANDS[command];
    if (!c) throw new UsageError(`unknown command "${command}"`);
    if (rest.includes('-h') || rest.includes('--help')) { io.stdout.write(c.usage + '\n'); return 0; }
    return await c.run(rest, io, signal);
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr.write(`jumio-batch: ${(e as Error).message} (see jumio-batch --help)\n`);
      return 2;
    }
    if (e instanceof InputError) {
      io.stderr.write(`jumio-batch: ${e.message}\n`);
      return 2;
    }
    io.stderr.write(`jumio-batch: internal error: ${(e as Error)?.message ?? String(e)}\n`);
    return 2;
  }
}

if (require.main === module) {
  // Ctrl-C cancels the running command cleanly (an upload then writes no DONE and says how to
  // resume); a second Ctrl-C exits at once.
  const controller = new AbortController();
  process.on('SIGINT', () => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
  });
  // Should the event loop ever run dry before the command settles, that is a failure, not a 0.
  let settled = false;
  process.once('beforeExit', () => {
    if (!settled) { process.stderr.write('jumio-batch: internal error: the command stopped before it finished\n'); process.exitCode = 2; }
  });
  main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env }, controller.signal).then((code) => {
    settled = true;
    process.exitCode = code;
  });
}
