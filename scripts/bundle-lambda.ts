// `npm run bundle`: each Lambda handler → dist/lambda/<name>/index.mjs (+ .map), one ESM file exporting `handler`.
// Everything is bundled, the AWS SDK included: the runtime's copy is whatever version AWS ships that week, and a
// bundle that works from an empty folder is the bundle we test (test/handlers/lambda/bundles.test.ts).
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type BuildOptions, build, type Metafile, type Plugin } from 'esbuild';

export const LAMBDA_FUNCTIONS = ['slack', 'worker', 'reconciler'] as const;
export type LambdaFunctionName = (typeof LAMBDA_FUNCTIONS)[number];

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const DEFAULT_OUT_DIR = join(ROOT, 'dist', 'lambda');

/** One way to bundle a Lambda, shared by `npm run bundle` and the cold-start benchmark's bare Bolt app. */
export function lambdaBuildOptions(entry: string, outfile: string): BuildOptions {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    // The oldest runtime the stack may use; the stack picks nodejs24.x.
    target: 'node22',
    minify: true,
    sourcemap: 'linked',
    // Stack traces need the mappings, not the sources: the map is under half the size, read faster at start.
    sourcesContent: false,
    metafile: true,
    logLevel: 'warning',
    // Prefer packages' ESM builds: they tree-shake; CommonJS builds arrive whole.
    mainFields: ['module', 'main'],
    legalComments: 'none',
    // Bolt and the SDK are CommonJS and require Node built-ins; an ESM bundle needs a real `require` for them.
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  };
}

/**
 * Our functions' trims, applied to our bundles only (the benchmark's bare app is any Bolt user's app):
 * - Bolt's Socket Mode and Express receivers: Bolt's index loads them (with undici, express and iconv-lite, about
 *   1.3 MB minified), a Lambda never constructs them. Their stand-in throws if one ever is.
 * - raw-body, the HTTP receiver's body reader (with iconv-lite's 0.5 MB of code pages): the Lambda receiver gets
 *   its body from the event.
 * - Bolt's OAuth installer (@slack/oauth, with a JWT library): the app is installed once, with a bot token.
 * - the SDK's default credential chain beyond its first link: Lambda gives the role's keys in the environment.
 * - zod's translations of its error messages into 40-odd languages: we use English only (zod's default).
 */
export function trimForLambda(): Plugin {
  const stubs = join(ROOT, 'scripts', 'lambda-stubs');
  return {
    name: 'trim-for-lambda',
    setup(b) {
      b.onResolve({ filter: /\/receivers\/(SocketModeReceiver|ExpressReceiver)(\.js)?$/ }, (args) =>
        args.importer.includes(`${join('node_modules', '@slack', 'bolt')}`)
          ? { path: join(stubs, 'unused-receiver.cjs') }
          : undefined,
      );
      b.onResolve({ filter: /^@aws-sdk\/credential-provider-node$/ }, () => ({
        path: join(stubs, 'env-credentials-only.mjs'),
      }));
      b.onResolve({ filter: /^@slack\/oauth$/ }, (args) =>
        args.importer.includes(join('node_modules', '@slack', 'bolt'))
          ? { path: join(stubs, 'no-oauth.cjs') }
          : undefined,
      );
      b.onResolve({ filter: /^raw-body$/ }, (args) =>
        args.importer.includes(join('node_modules', '@slack', 'bolt'))
          ? { path: join(stubs, 'unused-body-reader.cjs') }
          : undefined,
      );
      b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
        args.importer.includes(join('node_modules', 'zod'))
          ? { path: join(dirname(args.importer), '..', 'locales', 'en.js'), namespace: 'zod-english' }
          : undefined,
      );
      // `export * as locales` → a namespace holding `en` alone.
      b.onLoad({ filter: /.*/, namespace: 'zod-english' }, (args) => ({
        contents: `export { default as en } from ${JSON.stringify(args.path)};`,
        resolveDir: dirname(args.path),
      }));
    },
  };
}

export interface BundleResult {
  name: string;
  file: string;
  bytes: number;
  metafile: Metafile;
}

export async function bundleLambda(name: LambdaFunctionName, outDir = DEFAULT_OUT_DIR): Promise<BundleResult> {
  const file = join(outDir, name, 'index.mjs');
  rmSync(dirname(file), { recursive: true, force: true });
  mkdirSync(dirname(file), { recursive: true });
  const options = lambdaBuildOptions(join(ROOT, 'handlers', 'lambda', `${name}.ts`), file);
  const result = await build({ ...options, plugins: [trimForLambda()] });
  return { name, file, bytes: statSync(file).size, metafile: result.metafile as Metafile };
}

async function main(): Promise<void> {
  for (const name of LAMBDA_FUNCTIONS) {
    const { file, bytes } = await bundleLambda(name);
    process.stdout.write(`${name.padEnd(10)} ${(bytes / 1024).toFixed(0).padStart(6)} KiB  ${file}\n`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    process.stderr.write(`bundle failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
