// `npm start` runs this first: exits 1 with one clear paragraph (no stack) when the Electron
// binary is unavailable — Electron is an optional dependency, so `npm install` succeeds on
// machines that cannot download it — and points to the headless host instead.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

export function electronProblem(load = () => createRequire(import.meta.url)('electron')) {
  try {
    const binary = load();
    return typeof binary === 'string' ? null : 'the electron package did not name a binary';
  } catch (err) {
    return err?.code === 'MODULE_NOT_FOUND'
      ? 'the optional electron package is not installed (its binary could not be downloaded during npm install, or optional dependencies were omitted)'
      : String(err?.message ?? err).split('\n')[0];
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const problem = electronProblem();
  if (problem) {
    process.stderr.write(
      `The Aquila window is unavailable: ${problem}.\n` +
        'Run the same host headless and open the UI in a browser instead:\n' +
        '  npm run serve\n' +
        'To get the window, run npm install again where the Electron binary can be downloaded\n' +
        '(github.com, or a mirror named by ELECTRON_MIRROR).\n',
    );
    process.exit(1);
  }
}
