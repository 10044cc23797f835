// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

// The machine's process table, read from /proc (Linux): what tests use to prove that no child
// process is left behind by the engine, its runners or the processes they spawn.
#include <QByteArray>
#include <QList>
#include <QSet>

#include <optional>

namespace Feedscope::Testing {

struct Proc
{
    qint64 pid = 0;
    qint64 ppid = 0;
    qint64 pgid = 0;
    char state = '?';
    QByteArray cmdline;

    bool live() const { return state != 'Z' && state != 'X' && state != 'x'; }
};

std::optional<Proc> readProc(qint64 pid);
QList<Proc> allProcesses();
// Live (non-zombie) descendants of `root`, at any depth, following ppid chains.
QList<Proc> liveDescendants(qint64 root);
// Live processes anywhere on the machine whose process group is one of `groups`.
QList<Proc> liveInGroups(const QSet<qint64> &groups);
bool isLive(qint64 pid);
// The process no longer exists, not even as a zombie (it was reaped).
bool processGone(qint64 pid);
// One line per process (pid, ppid, group, state, command line) for a failure message.
QByteArray describe(const QList<Proc> &list);

} // namespace Feedscope::Testing
