#pragma once
// A process's resident memory, as the kernel reports it (VmRSS in /proc/<pid>/status).

namespace tact::gateway {

// In KiB; `pid` 0 is this process. 0 when it cannot be read.
long rss_kib(int pid = 0);

}  // namespace tact::gateway
