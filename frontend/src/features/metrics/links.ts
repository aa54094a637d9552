/** Links from a report to GitHub, built from the followed repositories' `html_url`. */
import type { DashboardLinks } from './MetricsDashboard';

interface Linkable {
  readonly id: number;
  readonly full_name: string;
  readonly html_url: string;
}

export function dashboardLinks(teamId: number, repositories: readonly Linkable[]): DashboardLinks {
  const byName = new Map(repositories.map((repository) => [repository.full_name.toLowerCase(), repository]));
  const find = (fullName: string) => byName.get(fullName.toLowerCase());
  return {
    item: (item) => {
      const repository = find(item.repository);
      if (repository === undefined) {
        return null;
      }
      return `${repository.html_url}/${item.kind === 'pull' ? 'pull' : 'issues'}/${item.number}`;
    },
    run: (fullName, runId) => {
      const repository = find(fullName);
      return repository === undefined ? null : `${repository.html_url}/actions/runs/${runId}`;
    },
    repository: (fullName) => {
      const repository = find(fullName);
      return repository === undefined ? null : `/teams/${teamId}/repositories/${repository.id}`;
    },
  };
}
