import { afterEach, beforeEach } from 'vitest';
import { cleanup } from '@testing-library/react';

// jsdom has no object URLs.
let n = 0;
if (!URL.createObjectURL) URL.createObjectURL = () => `blob:test/${++n}`;
if (!URL.revokeObjectURL) URL.revokeObjectURL = () => undefined;
if (typeof window !== 'undefined') window.scrollTo = () => undefined; // jsdom only logs "not implemented"

beforeEach(() => {
  if (typeof localStorage !== 'undefined') localStorage.clear();
});
afterEach(() => {
  if (typeof document !== 'undefined') cleanup();
});
