// `npm run fuzz`: the property-based tests (out/test/unit/properties.test.js) over 1,000,000
// generated batches instead of npm test's 10,000. JUMIO_FUZZ_RUNS sets the number; the seed is
// printed first and, on a failure, again with the path that replays the failing case:
//   JUMIO_FUZZ_SEED=<seed> JUMIO_FUZZ_PATH=<path> npm run fuzz
import Mocha from 'mocha';

process.env.JUMIO_FUZZ_RUNS ??= '1000000';
process.env.JUMIO_FUZZ_SEED ??= String((Date.now() ^ Math.floor(Math.random() * 0x7fffffff)) | 0);
console.log(`fuzz: ${Number(process.env.JUMIO_FUZZ_RUNS).toLocaleString('en-US')} cases, JUMIO_FUZZ_SEED=${process.env.JUMIO_FUZZ_SEED}`);
const mocha = new Mocha({ timeout: 0, reporter: 'spec' });
mocha.addFile('out/test/unit/properties.test.js');
await mocha.loadFilesAsync();
mocha.run((failures) => { process.exitCode = failures ? 1 : 0; });
