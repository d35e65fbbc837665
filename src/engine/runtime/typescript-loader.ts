/**
 * Importing a user's TypeScript module (a theorem at a path, or its cell function in a worker) needs tsx's loader.
 * From the sources it is registered already; compiled tdlv registers it on the first .ts import, and says what to do
 * when tsx is not installed.
 */
// Running from the sources, this very module was loaded through tsx (bin/tdlv.js or the worker bootstrap registered
// it):
// a second registration would only stack another copy of the same hooks.
let registered: Promise<void> | undefined = import.meta.url.endsWith('.ts') ? Promise.resolve() : undefined;

export function needsTypeScript(specifier: string): boolean {
  return /\.(c|m)?ts$/.test(specifier);
}

export async function ensureTypeScript(specifier: string): Promise<void> {
  if (!needsTypeScript(specifier)) return;
  registered ??= (async () => {
    let api: { register: () => unknown };
    let cjs: { register: () => unknown };
    try {
      api = (await import('tsx/esm/api')) as typeof api;
      // A .ts module in a folder without "type": "module" is loaded as CommonJS: tsx's require hook compiles it.
      cjs = (await import('tsx/cjs/api')) as typeof cjs;
    } catch {
      throw new Error(
        `${specifier} is TypeScript: install tsx beside tdlv (npm install --save-dev tsx) or compile the module to .js`,
      );
    }
    api.register();
    cjs.register();
  })();
  return registered;
}

/** import() of a module URL or path, registering the TypeScript loader first where the module needs it. */
export async function importModule(specifier: string): Promise<Record<string, unknown>> {
  await ensureTypeScript(specifier);
  return (await import(specifier)) as Record<string, unknown>;
}

/**
 * A named export of a user's module: a module loaded as CommonJS (a .ts file in a folder without "type": "module")
 * has its exports under default.
 */
export function moduleExport(mod: Record<string, unknown>, name: string): unknown {
  return mod[name] ?? (mod.default as Record<string, unknown> | undefined)?.[name];
}
