import type { BuildOptions } from 'esbuild';

export const ROOT: string;
export const BUNDLED_PACKAGES: readonly string[];
export function loadEsbuild(): Promise<typeof import('esbuild') | null>;
export function bundleOptions(entryPoints: string[], outdir: string): BuildOptions;
