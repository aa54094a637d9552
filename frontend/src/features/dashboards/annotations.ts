/**
 * A team's annotations ("deploy", "incident", releases) on its time-series
 * charts: the query, and where each falls among a chart's buckets.
 */
import { queryOptions } from '@tanstack/react-query';
import { createContext, useContext } from 'react';

import { arrayOf, decoder, getJson, num, object, str } from '../../api';

const readAnnotation = object({ id: num, text: str, at: str, tags: arrayOf(str) });
export type Annotation = ReturnType<typeof readAnnotation>;
const decodeAnnotations = decoder(arrayOf(readAnnotation));

export const annotationsKey = (teamId: number) => ['teams', teamId, 'annotations'] as const;

/** The last `days` days of a team's annotations (the widest range a widget shows). */
export function annotationsQuery(teamId: number, days = 366) {
  return queryOptions({
    queryKey: annotationsKey(teamId),
    queryFn: ({ signal }) => {
      const since = new Date(Date.now() - days * 86_400_000).toISOString();
      return getJson(
        `/api/teams/${teamId}/annotations?since=${encodeURIComponent(since)}&limit=500`,
        decodeAnnotations,
        { signal },
      );
    },
  });
}

/** The annotations the charts of this page draw (none on a share link's page). */
export const AnnotationsContext = createContext<readonly Annotation[]>([]);

export function useAnnotations(): readonly Annotation[] {
  return useContext(AnnotationsContext);
}

export interface Mark {
  /** The bucket (category) index it falls in. */
  readonly index: number;
  readonly text: string;
}

/**
 * Each annotation inside the chart's range, on the bucket that contains it:
 * bucket i covers [start_i, start_i+1); the last one as long as the one before
 * it (a day when there is only one).
 */
export function marksFor(starts: readonly string[], annotations: readonly Annotation[]): Mark[] {
  const times = starts.map((start) => Date.parse(start));
  if (times.length === 0 || times.some(Number.isNaN)) {
    return [];
  }
  const last = times.at(-1) ?? 0;
  const width = times.length > 1 ? last - (times.at(-2) ?? last) : 86_400_000;
  const end = last + width;
  const marks: Mark[] = [];
  for (const annotation of annotations) {
    const at = Date.parse(annotation.at);
    if (Number.isNaN(at) || at < (times[0] ?? 0) || at >= end) {
      continue;
    }
    let index = 0;
    while (index + 1 < times.length && (times[index + 1] ?? Infinity) <= at) {
      index += 1;
    }
    marks.push({ index, text: annotation.text });
  }
  return marks;
}
