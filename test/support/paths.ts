import path from 'node:path';

/** Repository root (the folder holding package.json). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** The shared reference folder beside the checkout (CI clones main with shared/ next to it). */
export const SHARED_DIR = path.resolve(REPO_ROOT, '..', 'shared');
