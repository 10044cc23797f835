// SPDX-License-Identifier: GPL-3.0-or-later
#include "processmemory.h"

#include <QByteArray>
#include <QList>
#include <QSet>

#include <cstdio>
#include <dirent.h>
#include <unistd.h>

namespace Feedscope::Engine {

namespace {

// Small /proc files, read without Qt's file machinery: this runs every few tens of
// milliseconds for each busy runner.
QByteArray readSmallFile(const char *path)
{
    std::FILE *file = std::fopen(path, "re");
    if (!file)
        return {};
    char buffer[4096];
    const size_t n = std::fread(buffer, 1, sizeof buffer - 1, file);
    std::fclose(file);
    return QByteArray(buffer, qsizetype(n));
}

qint64 residentPages(qint64 pid)
{
    char path[64];
    std::snprintf(path, sizeof path, "/proc/%lld/statm", static_cast<long long>(pid));
    const QByteArray statm = readSmallFile(path); // "size resident shared text lib data dt"
    const qsizetype space = statm.indexOf(' ');
    if (space < 0)
        return 0;
    const qsizetype end = statm.indexOf(' ', space + 1);
    return statm.mid(space + 1, end < 0 ? -1 : end - space - 1).toLongLong();
}

// The direct children of `pid`: each thread lists those it forked, so every task is read.
void appendChildren(qint64 pid, QList<qint64> &out)
{
    char path[64];
    std::snprintf(path, sizeof path, "/proc/%lld/task", static_cast<long long>(pid));
    DIR *tasks = ::opendir(path);
    if (!tasks)
        return;
    while (const dirent *task = ::readdir(tasks)) {
        if (task->d_name[0] < '0' || task->d_name[0] > '9')
            continue;
        char childrenPath[64 + sizeof task->d_name];
        std::snprintf(childrenPath,
                      sizeof childrenPath,
                      "/proc/%lld/task/%s/children",
                      static_cast<long long>(pid),
                      task->d_name);
        const QByteArray children = readSmallFile(childrenPath);
        for (const QByteArray &child : children.split(' ')) {
            const qint64 id = child.trimmed().toLongLong();
            if (id > 0)
                out.append(id);
        }
    }
    ::closedir(tasks);
}

} // namespace

qint64 residentBytesOfTree(qint64 pid)
{
    static const qint64 pageSize = ::sysconf(_SC_PAGESIZE);
    qint64 pages = 0;
    QList<qint64> pending{pid};
    QSet<qint64> seen;
    while (!pending.isEmpty()) {
        const qint64 current = pending.takeLast();
        if (seen.contains(current))
            continue;
        seen.insert(current);
        pages += residentPages(current);
        appendChildren(current, pending);
    }
    return pages * pageSize;
}

} // namespace Feedscope::Engine
