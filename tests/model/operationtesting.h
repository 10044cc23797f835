// SPDX-License-Identifier: GPL-3.0-or-later
// Shared by the suites that run Operations (tst_feedlifecycle, tst_operationlifetime,
// tst_httpjournal): waiting for one to end.
#pragma once

#include "operation.h"

#include <QEventLoop>
#include <QTimer>

#include <optional>

namespace Feedscope::Testing {

// Spins a local event loop until `op` finishes; its report, or nothing when it did not finish
// within the (generous) deadline. An operation that already finished answers at once.
inline std::optional<OperationReport> waitForReport(Operation *op, int deadlineMs = 100000)
{
    if (op->isFinished())
        return op->report();
    std::optional<OperationReport> report;
    QEventLoop loop;
    QObject::connect(op, &Operation::finished, &loop, [&](const OperationReport &r) {
        report = r;
        loop.quit();
    });
    QTimer::singleShot(deadlineMs, &loop, &QEventLoop::quit);
    loop.exec();
    return report;
}

} // namespace Feedscope::Testing
