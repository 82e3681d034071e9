/** The mock IdP's public entry: what the CLI, the harness and the tests may use. */
export { startIdp, type RunningIdp, type StartIdpOptions } from './start-idp.ts';
export type { LabInfo } from './server/lab-info.ts';
export { PortBusyError } from './server/listen.ts';
export { SEED, SEED_PASSWORDS, MICROSOFT_GRAPH, GRAPH_APP_ID } from './seed/seed-data.ts';
export { playUser, playDeviceCode, deliver, SignInError, CookieJar, type ClientDelivery, type FinalPage, type PlayUserOptions } from './automation/play-user.ts';
export { parseForms, alertText, type HtmlForm } from './automation/html-forms.ts';
export { escapeHtml } from './html/escape.ts';
export type { PendingDeviceCode } from './store/pending-device-codes.ts';
export type { ListedDeviceCode } from './admin/device-code-routes.ts';
export { ensureCertificates, describeCertificate } from './certs/ensure-certificates.ts';
export { createClientCertificate, type ClientCertificate } from './certs/client-certificate.ts';
export { DEFAULT_PORT, labHome } from './paths.ts';
export type * from './directory/types.ts';
export type { TraceEvent, TraceEventType } from './trace/trace-event.ts';
export { fingerprint } from './trace/fingerprint.ts';
export { runningIdp } from './server/lock-file.ts';
