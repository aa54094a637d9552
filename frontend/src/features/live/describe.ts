/**
 * One line of text per live event, for the activity ticker: "alice merged
 * acme/api#42". Pure. Event fields are in docs/events.md; what each type's
 * `data` holds is in hubdeck/core/github/changes.py.
 */
import type { LiveEvent } from '../../realtime';

/** How many events the ticker keeps. */
export const RECENT_EVENTS = 5;

/** The list with `event` first, without an earlier copy of it, at most `max` long. */
export function pushRecent(list: readonly LiveEvent[], event: LiveEvent, max = RECENT_EVENTS): LiveEvent[] {
  return [event, ...list.filter((item) => item.id !== event.id)].slice(0, Math.max(0, max));
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

function texts(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => text(item) !== null) : [];
}

function count(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** A GitHub login; HubDeck user ids (digits, e.g. of `repository.followed`) are no name to show. */
function login(value: string | null): string | null {
  return value === null || /^\d+$/.test(value) ? null : value;
}

/** "alice did X" when the actor is known, else "X happened". */
function either(actor: string | null, withActor: (who: string) => string, without: string): string {
  return actor === null ? without : withActor(actor);
}

export function describeLiveEvent(event: LiveEvent): string {
  const { data, type } = event;
  const actor = login(event.actor);
  const repository = text(data['repository']) ?? event.subject;
  const subject = event.subject === '' ? repository : event.subject;
  const someone = actor ?? 'Someone';

  switch (type) {
    case 'pull_request.opened':
    case 'issue.opened':
      return `${someone} opened ${subject}`;
    case 'pull_request.merged':
      return either(actor, (who) => `${who} merged ${subject}`, `${subject} was merged`);
    case 'pull_request.closed':
    case 'issue.closed':
      return either(actor, (who) => `${who} closed ${subject}`, `${subject} was closed`);
    case 'pull_request.reopened':
    case 'issue.reopened':
      return either(actor, (who) => `${who} reopened ${subject}`, `${subject} was reopened`);
    case 'pull_request.updated':
    case 'issue.updated':
      return either(actor, (who) => `${who} updated ${subject}`, `${subject} was updated`);
    case 'pull_request.ready_for_review':
      return `${subject} is ready for review`;
    case 'pull_request.converted_to_draft':
      return `${subject} went back to draft`;
    case 'pull_request.review_requested': {
      const reviewers = texts(data['reviewers']);
      return reviewers.length > 0
        ? `${someone} asked ${reviewers.join(', ')} to review ${subject}`
        : `${someone} requested a review of ${subject}`;
    }
    case 'pull_request.reviewed': {
      const reviewer = actor ?? login(text(data['reviewer'])) ?? 'Someone';
      const state = text(data['state'])?.toLowerCase();
      if (state === 'approved') {
        return `${reviewer} approved ${subject}`;
      }
      if (state === 'changes_requested') {
        return `${reviewer} requested changes on ${subject}`;
      }
      return `${reviewer} reviewed ${subject}`;
    }
    case 'issue.labeled': {
      const labels = texts(data['labels']);
      const what = labels.length > 0 ? ` ${labels.join(', ')}` : '';
      return either(actor, (who) => `${who} labeled ${subject}${what}`, `${subject} labeled${what}`);
    }
    case 'comment.created':
      return `${someone} commented on ${subject}`;
    case 'workflow_run.succeeded':
    case 'workflow_run.failed':
    case 'workflow_run.updated':
      return describeRun(type, data, repository);
    case 'commit.pushed': {
      const n = count(data['count']);
      const authors = texts(data['authors']);
      const who = actor ?? (authors.length > 0 ? authors.join(', ') : 'Someone');
      return `${who} pushed ${n === null ? 'commits' : plural(n, 'commit', 'commits')} to ${repository}`;
    }
    case 'release.published': {
      const name = text(data['name']) ?? text(data['tag']) ?? 'a release';
      return `${repository} released ${name}`;
    }
    case 'repository.synced':
      return `${repository} finished its first sync`;
    case 'repository.updated': {
      const fields = Object.keys(data).filter((key) => key !== 'repository');
      return fields.length > 0
        ? `${repository} changed its ${fields.map((field) => field.replaceAll('_', ' ')).join(', ')}`
        : `${repository} was updated`;
    }
    case 'repository.starred': {
      const added = count(data['added']);
      const stars = count(data['stars']);
      const total = stars === null ? '' : ` (${stars} now)`;
      return `${repository} gained ${added === null ? 'stars' : plural(added, 'star', 'stars')}${total}`;
    }
    case 'repository.followed':
      return either(actor, (who) => `${who} followed ${repository}`, `${repository} is now followed`);
    case 'repository.unfollowed':
      return `${repository} is no longer followed`;
    case 'team.member_joined':
      return 'Someone joined the team';
    case 'team.role_changed': {
      const to = text(data['to']);
      return `${someone} made ${event.subject}${to === null ? '' : ` ${to}`}`;
    }
    case 'team.member_removed':
      return data['left'] === true ? `${event.subject} left the team` : `${someone} removed ${event.subject}`;
    case 'github.event': {
      const name = text(data['event']) ?? 'event';
      const action = text(data['action']);
      return `${actor ?? 'GitHub'}: ${name.replaceAll('_', ' ')}${action === null ? '' : ` ${action}`} on ${repository}`;
    }
    default:
      return `${type} · ${subject}`;
  }
}

function describeRun(type: string, data: LiveEvent['data'], repository: string): string {
  const name = text(data['name']) ?? 'A workflow';
  const branch = text(data['branch']);
  const where = `${branch === null ? '' : ` on ${branch}`} in ${repository}`;
  if (type === 'workflow_run.succeeded') {
    return `${name} passed${where}`;
  }
  if (type === 'workflow_run.failed') {
    return `${name} failed${where}`;
  }
  const status = text(data['status']);
  const conclusion = text(data['conclusion']);
  if (status !== null && status !== 'completed') {
    return `${name} started${where}`;
  }
  return `${name} ${conclusion === null ? 'finished' : conclusion.replaceAll('_', ' ')}${where}`;
}

/** A short tone for the ticker's dot: `good` (merged, passed), `bad` (failed), or `info`. */
export function eventTone(type: string): 'good' | 'bad' | 'info' {
  if (type === 'pull_request.merged' || type === 'workflow_run.succeeded' || type === 'release.published') {
    return 'good';
  }
  if (type === 'workflow_run.failed') {
    return 'bad';
  }
  return 'info';
}
