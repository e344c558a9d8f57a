// The Worker entry a node uses when it is given none: no job kinds. Issue 5 passes
// its own entry (with `run-agent`) through `startActorNode({ workerEntry })`.
import { serveJobs } from './worker-host.ts'

serveJobs([])
