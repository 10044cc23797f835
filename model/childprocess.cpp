// SPDX-License-Identifier: GPL-3.0-or-later
#include "childprocess.h"

#include "guardedcallback.h"

#include <QProcess>
#include <QTimer>

#ifdef Q_OS_LINUX
#include <csignal>
#include <sys/prctl.h>
#endif

namespace Feedscope {

void endProcess(QProcess *process, int graceMs, QObject *context, std::function<void()> done)
{
    const GuardedCallback<> notify(context, std::move(done));
    if (!process) {
        notify.post(nullptr);
        return;
    }
    process->disconnect();
    process->setParent(nullptr);
    if (process->state() == QProcess::NotRunning) {
        process->deleteLater();
        QTimer::singleShot(0, process, notify);
        return;
    }
    QObject::connect(process, &QProcess::finished, process, [process, notify] {
        notify();
        process->deleteLater();
    });
    // A process that never started fully (FailedToStart) ends without `finished`.
    QObject::connect(process, &QProcess::errorOccurred, process, [process, notify](auto error) {
        if (error == QProcess::FailedToStart) {
            notify();
            process->deleteLater();
        }
    });
    // Drain the pipes: a child blocked on a full pipe would never see its signal handler run.
    QObject::connect(process, &QProcess::readyReadStandardOutput, process, [process] {
        process->readAllStandardOutput();
    });
    QObject::connect(process, &QProcess::readyReadStandardError, process, [process] {
        process->readAllStandardError();
    });
    if (graceMs <= 0) {
        process->kill();
        return;
    }
    process->terminate();
    QTimer::singleShot(graceMs, process, [process] {
        if (process->state() != QProcess::NotRunning)
            process->kill();
    });
}

void terminateWithParent(QProcess *process)
{
#ifdef Q_OS_LINUX
    process->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
#else
    Q_UNUSED(process)
#endif
}

} // namespace Feedscope
