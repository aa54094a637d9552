/** Metrics reports as the server returned them (simulated GitHub data), decoded. */
import { decodeMetricsReport, type MetricsReport } from '../model';
import empty from './report.empty.json';
import sample from './report.sample.json';

/** acme/api over 30 days in Europe/Paris: data in every section. */
export const sampleReport: MetricsReport = decodeMetricsReport(sample);
/** A team following no repository: every distribution empty, no releases. */
export const emptyReport: MetricsReport = decodeMetricsReport(empty);
export const rawSample: unknown = sample;
