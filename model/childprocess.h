// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>

#include <functional>

class QProcess;

namespace Feedscope {

// Ends a child process without blocking the caller's thread (STYLE.md 28): SIGTERM at once,
// SIGKILL when it is still running after `graceMs` (0: SIGKILL at once), and the QProcess
// deleted once it has exited — so nothing waits, and no zombie is left. `process` is taken over:
// its signals to other objects are disconnected and it is re-parented to nothing. `done` runs
// through `context` (dropped if it is destroyed first) after the exit, or on the next event-loop
// turn when the process was not running.
void endProcess(QProcess *process,
                int graceMs,
                QObject *context = nullptr,
                std::function<void()> done = {});

// Child processes started by the model get SIGTERM from the kernel when Feedscope dies without
// stopping them (Linux; a no-op elsewhere), so nothing lingers on a port.
void terminateWithParent(QProcess *process);

} // namespace Feedscope
