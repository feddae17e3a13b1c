// Build the extension bundle (dist/extension.js) and, with --tests, the unit tests (out/).
import * as esbuild from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const tests = process.argv.includes('--tests');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  logLevel: 'info',
};

if (tests) {
  rmSync('out', { recursive: true, force: true });
  const unit = readdirSync('test/unit').filter((f) => f.endsWith('.test.ts')).map((f) => path.join('test/unit', f));
  await esbuild.build({
    ...common,
    entryPoints: unit,
    outdir: 'out/test/unit',
    sourcemap: 'inline',
    // the unit tests cover pure modules only; importing vscode would fail loudly here
    external: [],
  });
  // the panel renderer, for test/panel/render-panel.mjs (headless Chromium)
  await esbuild.build({ ...common, entryPoints: ['src/panel/render.ts'], outfile: 'out/panel/render.js' });
} else {
  const ctx = await esbuild.context({
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    external: ['vscode'],
    minify: production,
    sourcemap: !production,
    sourcesContent: false,
  });
  if (watch) {
    await ctx.watch();
  } else {
    await ctx.rebuild();
    await ctx.dispose();
  }
}
