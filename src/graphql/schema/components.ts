import type { ComponentLoadFailure, LoadedComponent } from '../../components/registry.js';
import { builder } from '../builder.js';
import { ComponentKindEnum } from './enums.js';

export const ComponentRef = builder.objectRef<LoadedComponent>('Component').implement({
  description: 'A registered component, usable in a job spec by its name.',
  fields: (t) => ({
    name: t.string({ resolve: (c) => c.component.name }),
    kind: t.field({ type: ComponentKindEnum, resolve: (c) => c.component.kind }),
    description: t.string({ resolve: (c) => c.component.description }),
    argumentsSchema: t.field({
      type: 'JSON',
      description: 'The arguments it takes, as JSON Schema.',
      resolve: (c) => c.argumentsJsonSchema,
    }),
    source: t.exposeString('source', { description: '`builtin`, or the file it was loaded from.' }),
    loadedAt: t.expose('loadedAt', { type: 'DateTime' }),
  }),
});

const ComponentLoadFailureRef = builder
  .objectRef<ComponentLoadFailure>('ComponentLoadFailure')
  .implement({
    description: 'A component module that failed to load; the others loaded without it.',
    fields: (t) => ({
      file: t.exposeString('file'),
      error: t.exposeString('error'),
      at: t.expose('at', { type: 'DateTime' }),
    }),
  });

const sortedComponents = (components: ReadonlyMap<string, LoadedComponent>): LoadedComponent[] =>
  [...components.values()].sort((a, b) => a.component.name.localeCompare(b.component.name));

builder.queryFields((t) => ({
  components: t.field({
    type: [ComponentRef],
    description: 'Every component as of the last load, by name.',
    resolve: (_root, _args, { app }) => sortedComponents(app.registry.snapshot().components),
  }),
  componentLoadFailures: t.field({
    type: [ComponentLoadFailureRef],
    description: 'Component modules that failed to load at the last (re)load.',
    resolve: (_root, _args, { app }) => [...app.registry.snapshot().failures],
  }),
}));

builder.mutationFields((t) => ({
  reloadComponents: t.field({
    type: [ComponentRef],
    description:
      'Loads the components folder again if anything in it changed; jobs already started keep their versions. Failures show in componentLoadFailures. In cluster mode every process reloads; the answer is this process’s.',
    resolve: async (_root, _args, { app }) => {
      const { snapshot } = await app.registry.reload();
      app.cluster?.relay.announce({ action: 'reloadComponents' });
      return sortedComponents(snapshot.components);
    },
  }),
}));
