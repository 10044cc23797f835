// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QtGlobal>

namespace Feedscope::Engine {

// The resident memory (RSS) of a process and of every process it started, at any depth, read
// from /proc (Linux). This is what an action's memory limit covers: a docker memory cgroup in
// OpenWhisk counts the runtime, the action's native buffers and its child processes alike, and
// without root no cgroup can be had here, so the invoker samples this sum instead. Returns 0
// when `pid` is gone.
qint64 residentBytesOfTree(qint64 pid);

} // namespace Feedscope::Engine
