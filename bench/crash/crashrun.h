// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>
#include <QStringList>

#include <functional>

namespace Feedscope::Bench {

struct CrashOptions
{
    int rounds = 20;
    // Each round the engine is killed (SIGKILL) at a random moment in this range after it
    // started taking load.
    int minRoundMs = 100;
    int maxRoundMs = 3000;
    QString pouchDbServer;     // pouchdb-server executable (run in memory)
    QString eventService;      // resources/samples/event-service.js
    quint32 seed = 0;          // 0: a random seed (printed)
    std::function<void(const QString &)> progress; // one line per round and per check
};

// What survived. "Acknowledged" counts what the engine (or a feed's source) confirmed: entity
// writes answered 200, fires answered 202, activation ids named in trigger records, CouchDB
// documents created and events emitted while a feed followed them. Present: found intact (a
// write at its version or a later one that was sent, a fire's record with its payload, an id's
// record, an event fired). Repaired: ids recorded as failed at a restart. Lost: the rest.
struct CrashReport
{
    qint64 acknowledged = 0;
    qint64 present = 0;
    qint64 repaired = 0;
    qint64 lost = 0;

    qint64 fires = 0;
    qint64 writes = 0;
    qint64 ids = 0;
    qint64 couchDocs = 0;
    qint64 couchRepeated = 0;
    qint64 sseEvents = 0;
    qint64 sseRepeated = 0;
    int alarmFires = 0;      // after the last restart, while waited for
    qint64 alarmFirstMs = 0; // from the last restart to the first alarm fire
    qint64 alarmLateMs = 0;  // the latest fire's distance after its whole second
    bool alarmsResumed = false;
    QString integrity; // "ok", or what SQLite's integrity_check said
    QStringList problems; // the first few things that went wrong, for the log

    bool passed() const
    {
        return lost == 0 && couchRepeated == 0 && sseRepeated == 0 && alarmsResumed
               && integrity == u"ok" && problems.isEmpty();
    }
};

// Runs the crash rounds against a fresh engine (feedscope-engine of this build) on one data
// directory: fire load on a trigger with a rule plus entity writes, a CouchDB `_changes` feed,
// an SSE feed and a one-second alarm, a SIGKILL at a random moment and a restart each round;
// then checks everything that was acknowledged. Blocks until done.
CrashReport runCrashRounds(const CrashOptions &options);

} // namespace Feedscope::Bench
