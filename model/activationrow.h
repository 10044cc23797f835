// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "entities.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>

#include <array>

namespace Feedscope {

// What kind of event a monitor row is (issue G's filter kinds).
enum class ActivationKind : quint8 { Trigger, Action, FeedLifecycle, Sequence };

// How it ended. Timeout is a developer error with the `timeout` annotation (PROTOCOL.md 2.1);
// NoActiveRule and Throttled are fires Feedscope sent itself that left no server record.
enum class ActivationStatus : quint8 {
    Success,
    ApplicationError,
    DeveloperError,
    InternalError,
    Timeout,
    NoActiveRule, // 204
    Throttled,    // 429
    Unknown,
};

// Interned strings: names, triggers and rules repeat across thousands of rows, so a row holds a
// 32-bit index instead of a QString (24 bytes plus a heap block each). Never shrinks: it is
// bounded by the namespace's entities, not by the event count.
class StringPool
{
public:
    StringPool() { m_strings.append(QString()); } // 0 = none
    quint32 intern(const QString &s);
    // The index of `s`, 0 when it was never interned.
    quint32 find(const QString &s) const { return m_index.value(s, 0); }
    const QString &at(quint32 index) const { return m_strings.at(index); }
    qsizetype size() const { return m_strings.size(); }

private:
    QHash<QString, quint32> m_index;
    QList<QString> m_strings;
};

// One monitor row, compact (STYLE.md 6): only what a row shows. Display text is built by the
// table model when asked. 80 bytes plus a short payload excerpt.
struct ActivationRow
{
    // Activation ids are 32 hex digits (OpenWhisk's and the engine's; synthetic ones too), kept
    // as 16 bytes. Any other id is interned in the StringPool (oddId) and its index kept here.
    std::array<quint8, 16> id{};
    qint64 start = 0;          // epoch ms
    qint32 durationMs = -1;    // -1: none (trigger activations, 204/429 fires)
    qint32 waitMs = -1;
    qint32 initMs = -1; // present only on cold starts
    quint32 name = 0;   // StringPool indexes
    quint32 trigger = 0;
    quint32 rule = 0;
    ActivationKind kind = ActivationKind::Action;
    ActivationStatus status = ActivationStatus::Unknown;
    bool full = false;      // built from a full record (docs): payload and rule links known
    bool synthetic = false; // recordLocalFire: no server record exists
    bool oddId = false;     // `id` holds a StringPool index, not hex digits
    QByteArray payload;     // compact JSON of response.result, cut at payloadLimit

    static constexpr int payloadLimit = 160;

    QString idString(const StringPool &pool) const;
    bool cold() const { return initMs >= 0; }
};
// bench/monitor.sh's bytes-per-row figure (target <= 200, hash entry and excerpt included)
// depends on this staying small.
static_assert(sizeof(ActivationRow) <= 80);

// Packs 32 lowercase hex digits into 16 bytes; false for any other id.
bool packActivationId(QStringView id, std::array<quint8, 16> &bytes);

// Annotation key that marks a synthetic record made by ActivationStream::recordLocalFire; its
// value is the HTTP status the fire got (204 or 429).
inline QLatin1String localFireAnnotation() { return QLatin1String("feedscope.localFire"); }

// `record` as a row. Action names lose their own namespace ("guest/pkg/x" → "pkg/x"); actions
// of other namespaces keep the full path ("/whisk.system/alarms/alarm"). `feedActions` holds
// paths ("ns/pkg/feed") of actions known to be feeds, whose activations are lifecycle events.
ActivationRow makeActivationRow(const ActivationRecord &record,
                                StringPool &pool,
                                const QHash<QString, bool> &feedActions = {});

// "guest/myRule" → "myRule" when its namespace is `ns`, else "/other/myRule".
QString localName(const QString &path, const QString &ns);

QString kindText(ActivationKind kind);
QString statusText(ActivationStatus status);

} // namespace Feedscope
