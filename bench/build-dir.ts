/** The build of the app the bench serves: this worktree's build/, or BENCH_BUILD_DIR (another commit's) to compare. */
import path from 'node:path';
import { BUILD_DIR } from '../tests/e2e/harness.ts';

export const APP_BUILD_DIR = process.env.BENCH_BUILD_DIR ? path.resolve(process.env.BENCH_BUILD_DIR) : BUILD_DIR;
