/** prom-client's CommonJS modules under lib/, each exporting one class (metrics/prom-client.ts gives them its types). */
declare module 'prom-client/lib/*.js' {
  const exported: unknown
  export default exported
}
