import { DateTime } from 'luxon';
import type { ClosuresFileStatus, ClosuresReload } from '../../app/closures-reload.js';
import { ConflictError } from '../../errors.js';
import type { Job } from '../../jobs/job.js';
import {
  ClosuresFileRefusedError,
  type ClosuresYear,
  type ListedDay,
  type OfflineCalendar,
} from '../../sources/offline-calendar/index.js';
import { builder } from '../builder.js';
import type { GraphQLContext } from '../context.js';
import { ErrorInterface } from './errors.js';
import { JobRef } from './jobs.js';

const SourceEnum = builder.enumType('OfflineCalendarSource', {
  description:
    'PACKAGE: the chinese-days holiday data with the exchange closures built into this server. FILE: the exchange closures file named in server.json.',
  values: { PACKAGE: { value: 'package' }, FILE: { value: 'file' } } as const,
});

const yearOf = (date: string) => Number(date.slice(0, 4));

const ListedDayRef = builder.objectRef<ListedDay>('ExchangeClosuresDay').implement({
  fields: (t) => ({
    date: t.field({ type: 'Date', resolve: (d) => d.date }),
    note: t.exposeString('note', { nullable: true }),
  }),
});

const ClosuresYearRef = builder
  .objectRef<{ entry: ClosuresYear; calendar: OfflineCalendar }>('ExchangeClosuresYear')
  .implement({
    description: 'One year of the exchange closures file.',
    fields: (t) => ({
      year: t.int({ resolve: ({ entry }) => entry.year }),
      complete: t.boolean({
        description:
          'Every weekday closure of the year is listed: a year the package lacks is then covered by the file.',
        resolve: ({ entry }) => entry.complete,
      }),
      notice: t.string({ resolve: ({ entry }) => entry.notice }),
      coveredBy: t.field({
        type: SourceEnum,
        nullable: true,
        description:
          'PACKAGE when the package covers the year (the file corrects it), FILE when the file alone does, null when the year is not covered.',
        resolve: ({ entry, calendar }) =>
          entry.year <= yearOf(calendar.coverage.packageTo)
            ? 'package'
            : entry.year <= yearOf(calendar.coverage.to)
              ? 'file'
              : null,
      }),
      closures: t.field({ type: [ListedDayRef], resolve: ({ entry }) => [...entry.closures] }),
      reopened: t.field({
        type: [ListedDayRef],
        description: 'Weekdays the package closes on which the exchange trades.',
        resolve: ({ entry }) => [...entry.reopened],
      }),
    }),
  });

const ClosuresFileRef = builder
  .objectRef<{ status: ClosuresFileStatus; calendar: OfflineCalendar }>('ExchangeClosuresFile')
  .implement({
    description: 'The exchange closures file behind the offline calendar (watched for edits).',
    fields: (t) => ({
      path: t.string({ resolve: ({ status }) => status.file }),
      loadedAt: t.field({
        type: 'DateTime',
        description: 'When the calendar in use was read from the file.',
        resolve: ({ status }) => status.loadedAt,
      }),
      refusedAt: t.field({
        type: 'DateTime',
        nullable: true,
        description:
          'When the last edit was refused (the calendar in use stayed as it was); null once a reload succeeds.',
        resolve: ({ status }) => status.refused?.at ?? null,
      }),
      refusal: t.string({
        nullable: true,
        description: 'Why the last edit was refused: one line per problem, naming the entry.',
        resolve: ({ status }) => status.refused?.error.message ?? null,
      }),
      years: t.field({
        type: [ClosuresYearRef],
        description: 'The years of the file in use, ascending.',
        resolve: ({ calendar }) =>
          (calendar.closures?.years ?? []).map((entry) => ({ entry, calendar })),
      }),
    }),
  });

interface CalendarView {
  calendar: OfflineCalendar;
  status: ClosuresFileStatus | null;
  timeZone: string;
}

const OfflineCalendarRef = builder.objectRef<CalendarView>('OfflineCalendar').implement({
  description:
    'The calendar that needs no network: the start-up fill and the fallback when BaoStock cannot be reached.',
  fields: (t) => ({
    coveredFrom: t.field({ type: 'Date', resolve: (c) => c.calendar.coverage.from }),
    coveredTo: t.field({ type: 'Date', resolve: (c) => c.calendar.coverage.to }),
    coveredBy: t.field({
      type: SourceEnum,
      description: 'Where the last covered year comes from.',
      resolve: (c) => c.calendar.coverage.source,
    }),
    packageCoveredTo: t.field({
      type: 'Date',
      description: 'The last day the package covers on its own.',
      resolve: (c) => c.calendar.coverage.packageTo,
    }),
    warning: t.string({
      nullable: true,
      description: 'Set from 1 December when next year is not covered yet.',
      resolve: (c) => c.calendar.coverageWarning(DateTime.now().setZone(c.timeZone).toISODate()!),
    }),
    closuresFile: t.field({
      type: ClosuresFileRef,
      nullable: true,
      description: 'Null when server.json names no exchange closures file.',
      resolve: (c) => (c.status ? { status: c.status, calendar: c.calendar } : null),
    }),
  }),
});

function calendarView({ app }: GraphQLContext): CalendarView {
  return {
    calendar: app.calendar,
    status: app.closuresFile?.status() ?? null,
    timeZone: app.config.server.timeZone,
  };
}

builder.objectType(ClosuresFileRefusedError, {
  name: 'ExchangeClosuresRefused',
  description:
    'The exchange closures file was refused; the offline calendar in use stays as it was. `message` names each entry and what is wrong.',
  interfaces: [ErrorInterface],
  fields: (t) => ({ path: t.exposeString('file') }),
});

const ClosuresReloadedRef = builder
  .objectRef<{ reload: Extract<ClosuresReload, { ok: true }>; view: CalendarView }>(
    'ExchangeClosuresReloaded',
  )
  .implement({
    fields: (t) => ({
      changedYears: t.intList({
        description: 'Years in which some day now has another answer.',
        resolve: ({ reload }) => reload.changedYears,
      }),
      refillJobs: t.field({
        type: [JobRef],
        description:
          'The STARTUP jobs storing the changed years (none when they were stored already).',
        resolve: ({ reload }): Job[] => reload.jobs,
      }),
      offlineCalendar: t.field({ type: OfflineCalendarRef, resolve: ({ view }) => view }),
    }),
  });

builder.queryFields((t) => ({
  offlineCalendar: t.field({
    type: OfflineCalendarRef,
    resolve: (_root, _args, context) => calendarView(context),
  }),
}));

builder.mutationFields((t) => ({
  reloadExchangeClosures: t.field({
    type: ClosuresReloadedRef,
    description:
      'Reads the exchange closures file again (it is also watched). A refused file changes nothing; a valid one is put in use and the years it changes are refilled by jobs.',
    errors: {
      types: [ClosuresFileRefusedError, ConflictError],
      directResult: true,
      union: { name: 'ReloadExchangeClosuresResult' },
    },
    resolve: async (_root, _args, context) => {
      const reloader = context.app.closuresFile;
      if (!reloader)
        throw new ConflictError(
          'server.json names no exchange closures file (exchangeClosures.file); there is nothing to reload',
        );
      const reload = await reloader.reload();
      if (!reload.ok) throw reload.error;
      return { reload, view: calendarView(context) };
    },
  }),
}));
