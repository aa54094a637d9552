import { useCallback, useMemo, useState } from 'react';
import { Link } from 'react-router-dom';

import { EmptyState } from '../../components/PageState';
import { useNow } from '../../components/useNow';
import { ciLevel, staleLevel } from '../repositories/health';
import type { ChartColors } from './chartColors';
import { ChartCanvas } from './ChartCanvas';
import {
  STAGES,
  ciDurationChart,
  ciSuccessChart,
  deploymentsChart,
  hasReleases,
  languagesChart,
  pullSizesChart,
  stagesChart,
  throughputChart,
} from './chartData';
import {
  ciDurationConfig,
  ciSuccessConfig,
  deploymentsConfig,
  languagesConfig,
  pullSizesConfig,
  stagesConfig,
  throughputConfig,
} from './chartConfigs';
import { formatAgo, formatBytes, formatDuration, formatNumber, formatPercent, plural } from './format';
import { Heatmap } from './Heatmap';
import { MetricCard, Panel } from './MetricCard';
import type { CIReport, MetricsReport, OpenItem, OpenSummary } from './model';

export interface DashboardLinks {
  /** The GitHub page of an issue or pull request, or null if unknown. */
  readonly item: (item: OpenItem) => string | null;
  /** The GitHub page of a workflow run. */
  readonly run: (repository: string, runId: number) => string | null;
  /** HubDeck's page of a repository (team view), or null. */
  readonly repository: (fullName: string) => string | null;
}

/** Every metric of a report: number cards, then charts, tables and lists. */
export function MetricsDashboard({
  report,
  days,
  links,
  scope,
}: {
  readonly report: MetricsReport;
  readonly days: number;
  readonly links: DashboardLinks;
  readonly scope: 'repository' | 'team';
}) {
  return (
    <div className="dashboard" data-testid="metrics-dashboard" data-scope={scope}>
      <SummaryCards report={report} days={days} />
      <div className="panel-grid">
        <ThroughputPanel report={report} days={days} />
        <StagesPanel report={report} days={days} />
        <PullSizesPanel report={report} days={days} />
        <LanguagesPanel report={report} scope={scope} />
        <CIPanel ci={report.ci} days={days} links={links} />
        <Panel id="heatmap" title="Commit activity" summary={plural(report.commit_heatmap.total, 'commit')} wide>
          <Heatmap heatmap={report.commit_heatmap} days={days} />
        </Panel>
        <BacklogPanel report={report} links={links} scope={scope} />
        <ContributorsPanel report={report} days={days} />
        <DeliveryPanel report={report} days={days} />
      </div>
    </div>
  );
}

function SummaryCards({ report, days }: { readonly report: MetricsReport; readonly days: number }) {
  const { stages, merge_rate: mergeRate, review_depth: depth, backlog, ci } = report;
  const ciStats = ci.default_branch.succeeded + ci.default_branch.failed > 0 ? ci.default_branch : ci.all_runs;
  const releases = hasReleases(report.deployment_frequency);
  const lead = report.lead_time.lead_time;
  return (
    <div className="metric-grid" aria-label="Key numbers">
      <MetricCard
        metric="merged-pulls"
        label="PRs merged"
        value={formatNumber(stages.merged)}
        raw={stages.merged}
        detail={`in the last ${days} days`}
      />
      <MetricCard
        metric="cycle-time"
        label="Cycle time (median)"
        value={formatDuration(stages.cycle.p50)}
        raw={stages.cycle.p50}
        detail={stages.cycle.count > 0 ? `p90 ${formatDuration(stages.cycle.p90)}` : 'nothing merged'}
        title="From the first commit (or the opening) to the merge, draft time excluded."
      />
      <MetricCard
        metric="merge-rate"
        label="Merge rate"
        value={formatPercent(mergeRate.rate)}
        raw={mergeRate.rate}
        detail={`${mergeRate.merged} merged · ${mergeRate.closed_unmerged} closed unmerged`}
      />
      <MetricCard
        metric="review-depth"
        label="Reviews per PR"
        value={formatNumber(depth.reviews_per_pull)}
        raw={depth.reviews_per_pull}
        detail={
          depth.merged > 0
            ? `${formatPercent(depth.changes_requested_share)} had changes requested`
            : 'no merged pull request'
        }
        title={`${depth.reviews} reviews on ${depth.merged} merged pull requests; median ${formatNumber(depth.reviewers.p50)} reviewers each.`}
      />
      <MetricCard
        metric="merged-without-review"
        label="Merged without review"
        value={formatNumber(depth.merged_without_review)}
        raw={depth.merged_without_review}
        tone={depth.merged_without_review > 0 ? 'warn' : undefined}
        detail={depth.merged > 0 ? `of ${depth.merged} merged` : undefined}
      />
      <MetricCard
        metric="ci-success-rate"
        label="CI success"
        value={formatPercent(ciStats.success_rate)}
        raw={ciStats.success_rate}
        tone={ciLevel(ciStats.success_rate)}
        detail={
          ciStats.runs > 0
            ? `${ciStats.succeeded} ok · ${ciStats.failed} failed${ciStats === ci.default_branch ? ' on the default branch' : ''}`
            : 'no workflow runs'
        }
      />
      <MetricCard
        metric="ci-duration"
        label="CI run time (median)"
        value={formatDuration(ci.all_runs.duration.p50)}
        raw={ci.all_runs.duration.p50}
        detail={ci.all_runs.duration.count > 0 ? `p90 ${formatDuration(ci.all_runs.duration.p90)}` : undefined}
      />
      <MetricCard
        metric="open-prs"
        label="Open PRs"
        value={formatNumber(backlog.pulls.open)}
        raw={backlog.pulls.open}
        tone={staleLevel(backlog.pulls.stale) === 'ok' ? undefined : staleLevel(backlog.pulls.stale)}
        detail={`${backlog.pulls.stale} stale · ${backlog.draft_pulls} ${backlog.draft_pulls === 1 ? 'draft' : 'drafts'}`}
      />
      <MetricCard
        metric="open-issues"
        label="Open issues"
        value={formatNumber(backlog.issues.open)}
        raw={backlog.issues.open}
        detail={`${backlog.issues.stale} stale (idle ${Math.round(backlog.stale_days)}+ d)`}
      />
      <MetricCard
        metric="issue-resolution"
        label="Issue resolution (median)"
        value={formatDuration(report.issue_resolution.p50)}
        raw={report.issue_resolution.p50}
        detail={`${plural(report.issue_resolution.count, 'issue')} closed`}
      />
      <MetricCard
        metric="deployment-frequency"
        label="Releases per week"
        value={releases ? formatNumber(report.deployment_frequency.per_week, 2) : 'No releases'}
        raw={releases ? report.deployment_frequency.per_week : null}
        detail={releases ? `${report.deployment_frequency.releases} in ${days} days` : 'GitHub releases are the deployments'}
      />
      <MetricCard
        metric="lead-time"
        label="Lead time (median)"
        value={releases ? formatDuration(lead.p50) : 'No releases'}
        raw={releases ? lead.p50 : null}
        detail={releases ? `merge → release · ${report.lead_time.pending} pending` : undefined}
      />
    </div>
  );
}

function ThroughputPanel({ report, days }: { readonly report: MetricsReport; readonly days: number }) {
  const spec = useMemo(() => throughputChart(report.throughput), [report.throughput]);
  const build = useCallback((colors: ChartColors) => throughputConfig(spec, colors), [spec]);
  const partial = report.throughput.weeks.some((week) => week.partial);
  return (
    <Panel
      id="throughput"
      title="Weekly throughput"
      summary={`${plural(report.throughput.merged_pulls, 'PR')} merged · ${plural(report.throughput.closed_issues, 'issue')} closed`}
    >
      {spec.empty ? (
        <EmptyState title={`No pull request merged and no issue closed in the last ${days} days.`} />
      ) : (
        <>
          <ChartCanvas
            build={build}
            testId="chart-throughput"
            label={`Pull requests merged and issues closed per week: ${report.throughput.merged_pulls} and ${report.throughput.closed_issues} in total`}
          />
          {partial && <p className="muted small">* Partial week: only its days inside the window count.</p>}
        </>
      )}
    </Panel>
  );
}

function StagesPanel({ report, days }: { readonly report: MetricsReport; readonly days: number }) {
  const { stages } = report;
  const spec = useMemo(() => stagesChart(stages), [stages]);
  const build = useCallback((colors: ChartColors) => stagesConfig(spec, colors), [spec]);
  return (
    <Panel id="stages" title="Pull-request cycle time" summary="median · p75 · p90">
      {spec.empty ? (
        <EmptyState title={`No pull request was opened, picked up or merged in the last ${days} days.`} />
      ) : (
        <>
          <ChartCanvas build={build} testId="chart-stages" label="Pull-request stage durations: median, 75th and 90th percentile" />
          <table className="table table--compact" data-testid="stages-table">
            <thead>
              <tr>
                <th scope="col">Stage</th>
                <th scope="col">Median</th>
                <th scope="col">p75</th>
                <th scope="col">p90</th>
                <th scope="col">PRs</th>
              </tr>
            </thead>
            <tbody>
              {STAGES.map((stage) => {
                const d = stages[stage.key];
                return (
                  <tr key={stage.key} data-stage={stage.key}>
                    <th scope="row">{stage.label}</th>
                    <td>{formatDuration(d.p50)}</td>
                    <td>{formatDuration(d.p75)}</td>
                    <td>{formatDuration(d.p90)}</td>
                    <td>{d.count}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <p className="muted small">
            Coding: first commit → opened. Pickup: ready → first review or comment. Review: first review → merge.
            Cycle: first commit → merge. Draft time is left out.
            {stages.merged_without_review > 0 &&
              ` ${stages.merged_without_review} merged without review (no pickup or review time).`}
            {stages.cycle_from_opened > 0 &&
              ` ${stages.cycle_from_opened} cycle ${stages.cycle_from_opened === 1 ? 'time starts' : 'times start'} at the opening (first commit unknown).`}
          </p>
        </>
      )}
    </Panel>
  );
}

function PullSizesPanel({ report, days }: { readonly report: MetricsReport; readonly days: number }) {
  const sizes = report.pull_sizes;
  const spec = useMemo(() => pullSizesChart(sizes), [sizes]);
  const build = useCallback((colors: ChartColors) => pullSizesConfig(spec, colors), [spec]);
  return (
    <Panel
      id="pull-sizes"
      title="Pull-request size"
      summary={sizes.lines.count > 0 ? `median ${formatNumber(sizes.lines.p50, 0)} lines changed` : undefined}
    >
      {spec.empty ? (
        <EmptyState title={`No pull request merged in the last ${days} days.`}>
          Sizes are the lines added and deleted by merged pull requests.
        </EmptyState>
      ) : (
        <ChartCanvas build={build} testId="chart-pull-sizes" label="Merged pull requests by size bucket (lines changed)" />
      )}
    </Panel>
  );
}

function LanguagesPanel({ report, scope }: { readonly report: MetricsReport; readonly scope: 'repository' | 'team' }) {
  const spec = useMemo(() => languagesChart(report.languages), [report.languages]);
  const build = useCallback((colors: ChartColors) => languagesConfig(spec, colors), [spec]);
  return (
    <Panel
      id="languages"
      title="Languages"
      summary={report.languages.total_bytes > 0 ? formatBytes(report.languages.total_bytes) : undefined}
    >
      {spec.empty ? (
        <EmptyState title="GitHub reports no code in any language here.">
          {scope === 'team'
            ? 'The followed repositories are empty, or their first sync has not finished.'
            : 'The repository is empty, or its first sync has not finished.'}
        </EmptyState>
      ) : (
        <ChartCanvas
          build={build}
          testId="chart-languages"
          label={`Languages: ${spec.labels.map((name, i) => `${name} ${formatPercent(spec.shares[i] ?? null)}`).join(', ')}`}
          height={240}
        />
      )}
    </Panel>
  );
}

function conclusions(ci: CIReport): string {
  return Object.entries(ci.all_runs.by_conclusion)
    .sort((a, b) => b[1] - a[1])
    .map(([conclusion, count]) => `${count} ${conclusion.replace(/_/g, ' ')}`)
    .join(' · ');
}

function CIPanel({ ci, days, links }: { readonly ci: CIReport; readonly days: number; readonly links: DashboardLinks }) {
  const success = useMemo(() => ciSuccessChart(ci), [ci]);
  const durations = useMemo(() => ciDurationChart(ci), [ci]);
  const buildSuccess = useCallback((colors: ChartColors) => ciSuccessConfig(success, colors), [success]);
  const buildDurations = useCallback((colors: ChartColors) => ciDurationConfig(durations, colors), [durations]);
  const height = Math.max(140, 48 + success.labels.length * 34);
  return (
    <Panel id="ci" title="CI" summary={ci.all_runs.runs > 0 ? `${ci.all_runs.runs} runs · ${conclusions(ci)}` : undefined} wide>
      {ci.all_runs.runs === 0 ? (
        <EmptyState title={`No workflow runs in the last ${days} days.`}>
          CI numbers come from GitHub Actions workflow runs.
        </EmptyState>
      ) : success.empty ? (
        <EmptyState title="No run succeeded or failed yet.">
          Runs that were cancelled, skipped or are still in progress do not count towards a success rate.
        </EmptyState>
      ) : (
        <>
          <div className="chart-pair">
            <div>
              <h3 className="chart-title">Success rate by workflow</h3>
              <ChartCanvas build={buildSuccess} testId="chart-ci" label="CI success rate by workflow" height={height} />
            </div>
            <div>
              <h3 className="chart-title">Run time by workflow</h3>
              {durations.empty ? (
                <EmptyState title="No run reported its start time." />
              ) : (
                <ChartCanvas
                  build={buildDurations}
                  testId="chart-ci-duration"
                  label="CI run time by workflow: median and 90th percentile"
                  height={height}
                />
              )}
            </div>
          </div>
          <FailureList ci={ci} links={links} />
        </>
      )}
    </Panel>
  );
}

function FailureList({ ci, links }: { readonly ci: CIReport; readonly links: DashboardLinks }) {
  const [all, setAll] = useState(false);
  const now = useNow();
  if (ci.failures.length === 0) {
    return <p className="muted small">No failed run in this window.</p>;
  }
  const shown = all ? ci.failures : ci.failures.slice(0, 5);
  const repositories = new Set(ci.failures.map((run) => run.repository));
  return (
    <div>
      <h3 className="chart-title">
        Recent failures <span className="muted">({ci.failures_total})</span>
      </h3>
      <ul className="item-list" data-testid="ci-failures">
        {shown.map((run) => {
          const url = links.run(run.repository, run.id);
          const name = repositories.size > 1 ? `${run.repository} · ${run.name}` : run.name;
          return (
            <li key={`${run.repository}-${run.id}`} className="item">
              <span className="dot dot--bad" aria-hidden="true" />
              <span className="item__title">
                {url === null ? name : <a href={url} target="_blank" rel="noreferrer">{name}</a>}
                <span className="muted small">
                  {' '}
                  on <code>{run.head_branch}</code> ({run.event.replace(/_/g, ' ')}) · {run.conclusion.replace(/_/g, ' ')}
                  {run.pull_numbers.length > 0 && ` · PR ${run.pull_numbers.map((n) => `#${n}`).join(', ')}`}
                </span>
              </span>
              <span className="item__meta muted small">
                {formatAgo(run.created_at, now)}
                {run.duration_seconds !== null && ` · ${formatDuration(run.duration_seconds)}`}
              </span>
            </li>
          );
        })}
      </ul>
      {ci.failures.length > 5 && (
        <button type="button" className="button button--small button--quiet" onClick={() => {
            setAll(!all);
          }}>
          {all ? 'Show fewer' : `Show all ${ci.failures.length}`}
        </button>
      )}
    </div>
  );
}

function OpenList({
  title,
  summary,
  staleDays,
  links,
  scope,
  testId,
}: {
  readonly title: string;
  readonly summary: OpenSummary;
  readonly staleDays: number;
  readonly links: DashboardLinks;
  readonly scope: 'repository' | 'team';
  readonly testId: string;
}) {
  return (
    <div className="backlog__column" data-testid={testId}>
      <h3 className="chart-title">
        {title}{' '}
        <span className="muted">
          {summary.open} open · {summary.stale} stale
        </span>
      </h3>
      {summary.oldest.length === 0 ? (
        <p className="muted small">None open.</p>
      ) : (
        <ul className="item-list">
          {summary.oldest.map((item) => {
            const url = links.item(item);
            const stale = item.idle_seconds >= staleDays * 86_400;
            const label = `${scope === 'team' ? item.repository : ''}#${item.number}`;
            return (
              <li key={`${item.repository}-${item.kind}-${item.number}`} className="item" data-stale={stale}>
                <span className="item__title">
                  <span className="muted small">{label}</span>{' '}
                  {url === null ? item.title : <a href={url} target="_blank" rel="noreferrer">{item.title}</a>}
                  {item.draft && <span className="chip">draft</span>}
                  <span className="muted small"> by {item.author}</span>
                </span>
                <span className="item__meta small">
                  <span className="muted">open {formatDuration(item.age_seconds)}</span>
                  {' · '}
                  <span className={stale ? 'text-warn' : 'muted'}>idle {formatDuration(item.idle_seconds)}</span>
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}

function BacklogPanel({
  report,
  links,
  scope,
}: {
  readonly report: MetricsReport;
  readonly links: DashboardLinks;
  readonly scope: 'repository' | 'team';
}) {
  const { backlog } = report;
  return (
    <Panel
      id="backlog"
      title="Open and stale"
      summary={`stale: no update for ${Math.round(backlog.stale_days)} days`}
      wide
    >
      <div className="backlog">
        <OpenList
          title="Oldest pull requests"
          summary={backlog.pulls}
          staleDays={backlog.stale_days}
          links={links}
          scope={scope}
          testId="backlog-pulls"
        />
        <OpenList
          title="Oldest issues"
          summary={backlog.issues}
          staleDays={backlog.stale_days}
          links={links}
          scope={scope}
          testId="backlog-issues"
        />
      </div>
    </Panel>
  );
}

const CONTRIBUTORS_SHOWN = 10;

function ContributorsPanel({ report, days }: { readonly report: MetricsReport; readonly days: number }) {
  const [all, setAll] = useState(false);
  const { contributors, unattributed_commits: unattributed } = report.contributors;
  const shown = all ? contributors : contributors.slice(0, CONTRIBUTORS_SHOWN);
  return (
    <Panel id="contributors" title="Contributors" summary={plural(contributors.length, 'person', 'people')} wide>
      {contributors.length === 0 ? (
        <EmptyState title={`Nobody committed, opened, merged or reviewed a pull request in the last ${days} days.`} />
      ) : (
        <>
          <div className="table-scroll">
            <table className="table" data-testid="contributors-table">
              <thead>
                <tr>
                  <th scope="col">Login</th>
                  <th scope="col" className="num">Commits</th>
                  <th scope="col" className="num">PRs opened</th>
                  <th scope="col" className="num">PRs merged</th>
                  <th scope="col" className="num">Reviews</th>
                  <th scope="col" className="num">Total</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((person) => (
                  <tr key={person.login} data-testid="contributor-row" data-login={person.login}>
                    <th scope="row">{person.login}</th>
                    <td className="num">{person.commits}</td>
                    <td className="num">{person.pulls_opened}</td>
                    <td className="num">{person.pulls_merged}</td>
                    <td className="num">{person.reviews}</td>
                    <td className="num strong">{person.total}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="panel__footer">
            {contributors.length > CONTRIBUTORS_SHOWN && (
              <button type="button" className="button button--small button--quiet" onClick={() => {
                  setAll(!all);
                }}>
                {all ? 'Show the top 10' : `Show all ${contributors.length}`}
              </button>
            )}
            {unattributed > 0 && (
              <span className="muted small">
                {unattributed} {unattributed === 1 ? 'commit' : 'commits'} from e-mails with no GitHub account are not
                listed.
              </span>
            )}
          </div>
        </>
      )}
    </Panel>
  );
}

function DeliveryPanel({ report, days }: { readonly report: MetricsReport; readonly days: number }) {
  const frequency = report.deployment_frequency;
  const spec = useMemo(() => deploymentsChart(frequency), [frequency]);
  const build = useCallback((colors: ChartColors) => deploymentsConfig(spec, colors), [spec]);
  const lead = report.lead_time;
  if (!hasReleases(frequency)) {
    return (
      <Panel id="delivery" title="Deployments" wide>
        <EmptyState title="No releases" testId="no-releases">
          HubDeck counts published GitHub releases as deployments. No followed repository has published one, so
          deployment frequency and lead time cannot be measured.
        </EmptyState>
      </Panel>
    );
  }
  return (
    <Panel
      id="delivery"
      title="Deployments"
      summary={`${plural(frequency.releases, 'release')} · ${formatNumber(frequency.per_week, 2)} per week`}
      wide
    >
      <div className="chart-pair">
        <div>
          <h3 className="chart-title">Releases per week</h3>
          {spec.empty ? (
            <EmptyState title={`No release published in the last ${days} days.`} />
          ) : (
            <ChartCanvas build={build} testId="chart-deployments" label="Releases published per week" height={200} />
          )}
        </div>
        <div>
          <h3 className="chart-title">Lead time: merge → release</h3>
          <dl className="facts">
            <dt>Median</dt>
            <dd>{formatDuration(lead.lead_time.p50)}</dd>
            <dt>p90</dt>
            <dd>{formatDuration(lead.lead_time.p90)}</dd>
            <dt>Released PRs</dt>
            <dd>{lead.released}</dd>
            <dt>Waiting for a release</dt>
            <dd>{lead.pending}</dd>
            {lead.without_releases > 0 && (
              <>
                <dt>In repositories without releases</dt>
                <dd>{lead.without_releases}</dd>
              </>
            )}
            {lead.other_base > 0 && (
              <>
                <dt>Merged into another branch</dt>
                <dd>{lead.other_base}</dd>
              </>
            )}
          </dl>
        </div>
      </div>
      {frequency.repositories_with_releases < report.repositories.length && (
        <p className="muted small">
          {frequency.repositories_with_releases} of {report.repositories.length} repositories publish releases; the
          others count as no deployments.
        </p>
      )}
    </Panel>
  );
}

/** A link to HubDeck's page of a repository of the report, when known. */
export function RepositoryName({ fullName, links }: { readonly fullName: string; readonly links: DashboardLinks }) {
  const to = links.repository(fullName);
  return to === null ? <>{fullName}</> : <Link to={to}>{fullName}</Link>;
}
