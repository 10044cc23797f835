// SPDX-License-Identifier: GPL-3.0-or-later
#include "activationrow.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <cstring>

namespace Feedscope {

quint32 StringPool::intern(const QString &s)
{
    if (s.isEmpty())
        return 0;
    const auto it = m_index.constFind(s);
    if (it != m_index.cend())
        return it.value();
    const auto index = quint32(m_strings.size());
    m_strings.append(s);
    m_index.insert(s, index);
    return index;
}

bool packActivationId(QStringView id, std::array<quint8, 16> &bytes)
{
    if (id.size() != 32)
        return false;
    const auto nibble = [](QChar c) -> int {
        const char16_t u = c.unicode();
        if (u >= u'0' && u <= u'9')
            return u - u'0';
        if (u >= u'a' && u <= u'f')
            return u - u'a' + 10;
        return -1;
    };
    for (size_t i = 0; i < bytes.size(); ++i) {
        const int hi = nibble(id[qsizetype(2 * i)]), lo = nibble(id[qsizetype(2 * i + 1)]);
        if (hi < 0 || lo < 0)
            return false;
        bytes[i] = quint8(hi << 4 | lo);
    }
    return true;
}

QString ActivationRow::idString(const StringPool &pool) const
{
    if (oddId) {
        quint32 index = 0;
        std::memcpy(&index, id.data(), sizeof index);
        return pool.at(index);
    }
    static const char digits[] = "0123456789abcdef";
    QString text(32, Qt::Uninitialized);
    for (size_t i = 0; i < id.size(); ++i) {
        text[qsizetype(2 * i)] = QLatin1Char(digits[id[i] >> 4]);
        text[qsizetype(2 * i + 1)] = QLatin1Char(digits[id[i] & 0xf]);
    }
    return text;
}

QString localName(const QString &path, const QString &ns)
{
    if (path.isEmpty())
        return path;
    const qsizetype slash = path.indexOf(u'/');
    if (slash < 0)
        return path;
    if (!ns.isEmpty() && QStringView(path).left(slash) == ns)
        return path.mid(slash + 1);
    return u'/' + path;
}

namespace {

// The annotations a row needs, read in one pass over the key/value array (KeyValueList::value
// scans it per key; this runs for every event at tens of thousands per second).
struct RowAnnotations
{
    QString path;
    QString kind;
    bool topmost = false;
    bool timeout = false;
    qint32 waitMs = -1;
    qint32 initMs = -1;
    int localFire = 0;
};

RowAnnotations readAnnotations(const ActivationRecord &record)
{
    RowAnnotations a;
    for (const QJsonValue &pair : record.annotations.toJson()) {
        const QJsonObject o = pair.toObject();
        const QString key = o.value(QLatin1String("key")).toString();
        const QJsonValue value = o.value(QLatin1String("value"));
        if (key == u"path")
            a.path = value.toString();
        else if (key == u"waitTime")
            a.waitMs = value.isDouble() ? qint32(value.toInteger()) : -1;
        else if (key == u"initTime")
            a.initMs = value.isDouble() ? qint32(value.toInteger()) : -1;
        else if (key == u"kind")
            a.kind = value.toString();
        else if (key == u"timeout")
            a.timeout = value.toBool();
        else if (key == u"topmost")
            a.topmost = true;
        else if (key == localFireAnnotation())
            a.localFire = value.toInt();
    }
    return a;
}

ActivationStatus statusOf(const ActivationRecord &record, const RowAnnotations &a)
{
    if (a.localFire)
        return a.localFire == 429 ? ActivationStatus::Throttled : ActivationStatus::NoActiveRule;
    if (a.path.isEmpty())
        return ActivationStatus::Success; // trigger activations: always success (PROTOCOL.md 2.4)
    if (a.timeout)
        return ActivationStatus::Timeout;
    switch (record.statusCode) {
    case 0:
        return ActivationStatus::Success;
    case 1:
        return ActivationStatus::ApplicationError;
    case 2:
        return ActivationStatus::DeveloperError;
    case 3:
        return ActivationStatus::InternalError;
    default:
        return ActivationStatus::Unknown;
    }
}

ActivationKind kindOf(const RowAnnotations &a, const QHash<QString, bool> &feedActions)
{
    if (a.path.isEmpty())
        return ActivationKind::Trigger; // only action activations carry `path`
    if (a.kind == u"sequence" || a.topmost)
        return ActivationKind::Sequence;
    // Feed actions run as the caller, so their activations land in the caller's namespace with a
    // path in the provider's (PROTOCOL.md 1.10): a system feed is always a lifecycle call.
    if (feedActions.contains(a.path) || a.path.startsWith(QLatin1String("whisk.system/alarms/"))
        || a.path.startsWith(QLatin1String("whisk.system/changes/"))
        || a.path.startsWith(QLatin1String("whisk.system/streams/")))
        return ActivationKind::FeedLifecycle;
    return ActivationKind::Action;
}

} // namespace

ActivationRow makeActivationRow(const ActivationRecord &record,
                                StringPool &pool,
                                const QHash<QString, bool> &feedActions)
{
    ActivationRow row;
    if (!packActivationId(record.activationId, row.id)) {
        row.oddId = true;
        const quint32 index = pool.intern(record.activationId);
        std::memcpy(row.id.data(), &index, sizeof index);
    }
    row.start = record.start;
    const RowAnnotations a = readAnnotations(record);
    row.kind = kindOf(a, feedActions);
    row.status = statusOf(record, a);
    row.name = pool.intern(a.path.isEmpty() ? record.name : localName(a.path, record.ns));
    if (row.kind == ActivationKind::Trigger)
        row.trigger = row.name;
    if (record.end != 0 || record.raw.contains(QLatin1String("duration")))
        row.durationMs = qint32(record.duration);
    row.waitMs = a.waitMs;
    row.initMs = a.initMs;
    row.synthetic = a.localFire != 0;
    // Summaries carry no `response`; full records (docs=true, GET) do.
    row.full = record.raw.contains(QLatin1String("response"));
    if (row.full && !record.result.isUndefined() && !record.result.isNull()) {
        const QJsonDocument doc = record.result.isArray() ? QJsonDocument(record.result.toArray())
                                                          : QJsonDocument(record.result.toObject());
        row.payload = doc.toJson(QJsonDocument::Compact).left(ActivationRow::payloadLimit);
    }
    return row;
}

QString kindText(ActivationKind kind)
{
    switch (kind) {
    case ActivationKind::Trigger:
        return QStringLiteral("trigger");
    case ActivationKind::Action:
        return QStringLiteral("action");
    case ActivationKind::FeedLifecycle:
        return QStringLiteral("feed");
    case ActivationKind::Sequence:
        return QStringLiteral("sequence");
    }
    return {};
}

QString statusText(ActivationStatus status)
{
    switch (status) {
    case ActivationStatus::Success:
        return QStringLiteral("success");
    case ActivationStatus::ApplicationError:
        return QStringLiteral("application error");
    case ActivationStatus::DeveloperError:
        return QStringLiteral("developer error");
    case ActivationStatus::InternalError:
        return QStringLiteral("internal error");
    case ActivationStatus::Timeout:
        return QStringLiteral("timeout");
    case ActivationStatus::NoActiveRule:
        return QStringLiteral("204 no active rule");
    case ActivationStatus::Throttled:
        return QStringLiteral("429 throttled");
    case ActivationStatus::Unknown:
        break;
    }
    return QStringLiteral("unknown");
}

} // namespace Feedscope
