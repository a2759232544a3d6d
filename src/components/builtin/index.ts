import type { AnyComponent } from '../component.js';

/** The components that ship with the server; user components come from `componentsDir`. */
export const builtinComponents: readonly AnyComponent[] = [];
