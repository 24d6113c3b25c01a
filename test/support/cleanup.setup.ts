/** vitest setup file: after each test file, remove the folders it made with tempDir(). */
import { afterAll } from 'vitest';
import { removeTempDirs } from './temp-dir';

afterAll(removeTempDirs);
