/** How people show on a dashboard: their colour (from the user id), their name. Pure. */

/** Distinct colours that read on light and dark backgrounds. */
const PALETTE = ['#e8590c', '#7048e8', '#0ca678', '#d6336c', '#1c7ed6', '#f08c00', '#2f9e44', '#ae3ec9'];

/** The colour of user `id`: the same on every page and for every viewer. */
export function userColor(id: number | string): string {
  let n = typeof id === 'number' ? id : 7;
  if (typeof id === 'string') {
    for (let index = 0; index < id.length; index += 1) {
      n = (n * 31 + id.charCodeAt(index)) % 1_000_003;
    }
  }
  return PALETTE[Math.abs(Math.trunc(n)) % PALETTE.length] ?? '#1c7ed6';
}

/** What to call someone: their login, else their name, else "someone". */
export function personLabel(person: { readonly login?: string | null; readonly name?: string | null } | null): string {
  if (person === null) {
    return 'Someone';
  }
  return person.login ?? person.name ?? 'Someone';
}

/** Names of several people, "bob", "bob and carol", "bob, carol and 2 others". */
export function peopleLabel(people: readonly { readonly login: string }[]): string {
  const names = [...new Set(people.map((person) => person.login))];
  if (names.length === 0) {
    return 'someone';
  }
  if (names.length === 1) {
    return names[0] ?? 'someone';
  }
  if (names.length === 2) {
    return `${names[0] ?? ''} and ${names[1] ?? ''}`;
  }
  return `${names.slice(0, 2).join(', ')} and ${names.length - 2} other${names.length === 3 ? '' : 's'}`;
}

/** "the title", "the metric of “PRs merged”": what a notice says was changed. */
export function propertyLabel(target: string, path: string, widgetTitle: string | null): string {
  const names: Record<string, string> = {
    title: 'title',
    description: 'description',
    type: 'type',
    'config.repositories': 'repositories',
    'config.metric': 'metric',
    'config.range': 'time range',
    'config.filters': 'filters',
    position: 'position',
    size: 'size',
  };
  const name = names[path] ?? path;
  if (target === 'dashboard') {
    return `the dashboard's ${name}`;
  }
  return widgetTitle === null ? `the ${name} of a widget` : `the ${name} of “${widgetTitle}”`;
}
