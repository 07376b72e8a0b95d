/**
 * A Content-Disposition offering the body as a download named `fileName`, any characters kept
 * (RFC 6266 / RFC 8187: percent-encoded UTF-8, including the characters that encodeURIComponent
 * leaves but the header's syntax does not allow).
 */
export const attachment = (fileName: string): string =>
  `attachment; filename*=UTF-8''${encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
