// SPDX-License-Identifier: GPL-3.0-or-later
#include "processtree.h"

#include <QDir>
#include <QFile>
#include <QHash>
#include <QMultiHash>

#include <cerrno>
#include <csignal>

using namespace Qt::StringLiterals;

namespace Feedscope::Testing {

std::optional<Proc> readProc(qint64 pid)
{
    QFile stat(u"/proc/%1/stat"_s.arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return std::nullopt;
    const QByteArray text = stat.readAll();
    // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses.
    const qsizetype close = text.lastIndexOf(')');
    if (close < 0)
        return std::nullopt;
    const QList<QByteArray> fields = text.mid(close + 2).split(' ');
    if (fields.size() < 3)
        return std::nullopt;
    Proc p;
    p.pid = pid;
    p.state = fields[0].isEmpty() ? '?' : fields[0][0];
    p.ppid = fields[1].toLongLong();
    p.pgid = fields[2].toLongLong();
    QFile cmd(u"/proc/%1/cmdline"_s.arg(pid));
    if (cmd.open(QIODevice::ReadOnly))
        p.cmdline = cmd.readAll().replace('\0', ' ').trimmed();
    return p;
}

QList<Proc> allProcesses()
{
    QList<Proc> list;
    const QStringList entries = QDir(u"/proc"_s).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &entry : entries) {
        bool ok = false;
        const qint64 pid = entry.toLongLong(&ok);
        if (!ok)
            continue;
        if (const auto p = readProc(pid))
            list.append(*p);
    }
    return list;
}

QList<Proc> liveDescendants(qint64 root)
{
    const QList<Proc> all = allProcesses();
    QMultiHash<qint64, qint64> children;
    QHash<qint64, Proc> byPid;
    for (const Proc &p : all) {
        children.insert(p.ppid, p.pid);
        byPid.insert(p.pid, p);
    }
    QList<Proc> result;
    QList<qint64> todo{root};
    QSet<qint64> seen{root};
    while (!todo.isEmpty()) {
        const qint64 parent = todo.takeFirst();
        for (qint64 child : children.values(parent)) {
            if (seen.contains(child))
                continue;
            seen.insert(child);
            todo.append(child);
            if (byPid.value(child).live())
                result.append(byPid.value(child));
        }
    }
    return result;
}

QList<Proc> liveInGroups(const QSet<qint64> &groups)
{
    QList<Proc> result;
    for (const Proc &p : allProcesses()) {
        if (p.live() && groups.contains(p.pgid))
            result.append(p);
    }
    return result;
}

bool isLive(qint64 pid)
{
    const auto p = readProc(pid);
    return p && p->live();
}

bool processGone(qint64 pid)
{
    return pid > 0 && ::kill(pid_t(pid), 0) == -1 && errno == ESRCH;
}

QByteArray describe(const QList<Proc> &list)
{
    QByteArray text;
    for (const Proc &p : list) {
        text += "\n  pid " + QByteArray::number(p.pid) + " ppid " + QByteArray::number(p.ppid)
                + " pgid " + QByteArray::number(p.pgid) + " state " + QByteArray(1, p.state) + ": "
                + p.cmdline.left(160);
    }
    return text.isEmpty() ? QByteArray(" (none)") : text;
}

} // namespace Feedscope::Testing
