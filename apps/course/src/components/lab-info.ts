/** What `/api/lab-info` tells the browser about the running mock IdP (a subset of its `/_lab/info`). */
export interface CourseLabInfo {
  baseUrl: string;
  tenant: { id: string; name: string; issuer: string };
  publicClient?: { clientId: string; name: string };
  users: { username: string; password?: string; displayName: string; home: boolean }[];
}
