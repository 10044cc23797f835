// SPDX-License-Identifier: GPL-3.0-or-later
#include "alarmschedule.h"

#include <QDateTime>
#include <QJsonValue>

#include <cmath>

namespace Feedscope {

namespace {

// Dates from 1970 to the end of year 9999 (epoch ms). Bounding them (and the interval below)
// keeps every fire-time sum far inside qint64: a date of 1e300 or an interval of 5e40 minutes
// was converted to qint64 unchecked, which is undefined (found by fuzz/fuzz_cronschedule).
constexpr qint64 maxDateMs = 253402300799999;
constexpr qint64 maxIntervalMinutes = maxDateMs / 60000;

std::optional<qint64> dateInRange(qint64 ms)
{
    if (ms < 0 || ms > maxDateMs)
        return std::nullopt;
    return ms;
}

// A date parameter: epoch milliseconds or an ISO-8601 string.
std::optional<qint64> parseDate(const QJsonValue &value)
{
    if (value.isDouble()) {
        const double ms = value.toDouble();
        if (!(ms >= 0 && ms <= double(maxDateMs)))
            return std::nullopt;
        return qint64(ms);
    }
    if (value.isString()) {
        bool ok = false;
        const qint64 ms = value.toString().toLongLong(&ok);
        if (ok)
            return dateInRange(ms);
        QDateTime t = QDateTime::fromString(value.toString(), Qt::ISODateWithMs);
        if (!t.isValid())
            t = QDateTime::fromString(value.toString(), Qt::ISODate);
        if (t.isValid())
            return dateInRange(t.toMSecsSinceEpoch());
    }
    return std::nullopt;
}

QString text(const QJsonValue &value)
{
    return value.isString() ? value.toString() : QString::number(value.toDouble(), 'g', 16);
}

// The alarm-type fields: cron, timezone, strict.
bool configureCron(const QJsonObject &c, QJsonObject &config, QString *error)
{
    const QString cron = c.value(QLatin1String("cron")).toString();
    if (cron.isEmpty()) {
        *error = QStringLiteral("alarms trigger feed is missing the cron parameter");
        return false;
    }
    if (!CronSchedule::parse(cron, error))
        return false;
    config.insert(QStringLiteral("cron"), cron);
    const QString timezone = c.value(QLatin1String("timezone")).toString();
    if (!timezone.isEmpty()) {
        if (!QTimeZone(timezone.toUtf8()).isValid()) {
            *error = QStringLiteral("Invalid timezone.");
            return false;
        }
        config.insert(QStringLiteral("timezone"), timezone);
    }
    const QJsonValue strict = c.value(QLatin1String("strict"));
    config.insert(QStringLiteral("strict"),
                  strict.isBool() ? strict.toBool() : strict.toString() == u"true");
    return true;
}

bool configureInterval(const QJsonObject &c, QJsonObject &config, qint64 nowMs, QString *error)
{
    const QJsonValue minutes = c.value(QLatin1String("minutes"));
    const double m = minutes.isString() ? minutes.toString().toDouble() : minutes.toDouble();
    if (!(m > 0) || m != std::floor(m)) {
        *error = QStringLiteral("interval trigger feed requires the minutes parameter as an "
                                "integer greater than 0");
        return false;
    }
    if (m > double(maxIntervalMinutes)) {
        *error = QStringLiteral("interval trigger feed requires the minutes parameter to be at "
                                "most %1")
                     .arg(maxIntervalMinutes);
        return false;
    }
    config.insert(QStringLiteral("minutes"), qint64(m));
    if (!config.contains(QLatin1String("startDate")))
        config.insert(QStringLiteral("startDate"), nowMs + AlarmSchedule::defaultIntervalDelayMs);
    return true;
}

bool configureOnce(const QJsonObject &c, QJsonObject &config, QString *error)
{
    if (!config.contains(QLatin1String("date"))) {
        *error = QStringLiteral("once trigger feed is missing the date parameter");
        return false;
    }
    QJsonValue deleteAfterFire = c.value(QLatin1String("deleteAfterFire"));
    if (deleteAfterFire.isString() && deleteAfterFire.toString() != u"rules")
        deleteAfterFire = deleteAfterFire.toString() == u"true";
    if (deleteAfterFire.isUndefined() || deleteAfterFire.isNull())
        deleteAfterFire = false;
    if (!deleteAfterFire.isBool() && deleteAfterFire != QJsonValue(QStringLiteral("rules"))) {
        *error = QStringLiteral("deleteAfterFire must be false, true or \"rules\"");
        return false;
    }
    config.insert(QStringLiteral("deleteAfterFire"), deleteAfterFire);
    return true;
}

} // namespace

std::optional<QJsonObject>
AlarmSchedule::configure(const QJsonObject &c, qint64 nowMs, QString *error)
{
    QString type = c.value(QLatin1String("type")).toString();
    if (type.isEmpty()) {
        type = c.contains(QLatin1String("date"))      ? QStringLiteral("once")
               : c.contains(QLatin1String("minutes")) ? QStringLiteral("interval")
                                                      : QStringLiteral("alarm");
    }
    QJsonObject config{{QStringLiteral("type"), type}};

    // A string trigger_payload becomes {"payload": ...} (PROTOCOL.md 4.3).
    const QJsonValue payload = c.value(QLatin1String("trigger_payload"));
    if (payload.isString())
        config.insert(QStringLiteral("payload"), QJsonObject{{QStringLiteral("payload"), payload}});
    else if (payload.isObject())
        config.insert(QStringLiteral("payload"), payload);
    else
        config.insert(QStringLiteral("payload"), c.value(QLatin1String("payload")).toObject());

    for (const char *field : {"startDate", "stopDate", "date"}) {
        const QString key = QLatin1String(field);
        if (!c.contains(key) || c.value(key).isNull())
            continue;
        const auto ms = parseDate(c.value(key));
        if (!ms) {
            *error = QStringLiteral("%1 parameter '%2' is not a valid date")
                         .arg(key, text(c.value(key)));
            return std::nullopt;
        }
        if (*ms <= nowMs && !c.value(QLatin1String("_restored")).toBool()) {
            *error = QStringLiteral("%1 parameter '%2' must be in the future")
                         .arg(key, text(c.value(key)));
            return std::nullopt;
        }
        config.insert(key, *ms);
    }
    if (config.contains(QLatin1String("startDate")) && config.contains(QLatin1String("stopDate"))
        && config.value(QLatin1String("stopDate")).toInteger()
               <= config.value(QLatin1String("startDate")).toInteger()) {
        *error = QStringLiteral("stopDate parameter must be greater than the startDate");
        return std::nullopt;
    }
    const QJsonValue maxTriggers = c.value(QLatin1String("maxTriggers"));
    if (!maxTriggers.isUndefined() && !maxTriggers.isNull()) {
        if (config.contains(QLatin1String("stopDate"))) {
            *error = QStringLiteral("maxTriggers is not allowed when the stopDate parameter is "
                                    "specified");
            return std::nullopt;
        }
        config.insert(QStringLiteral("maxTriggers"), maxTriggers.toInt(-1));
    }

    bool ok = false;
    if (type == u"alarm")
        ok = configureCron(c, config, error);
    else if (type == u"interval")
        ok = configureInterval(c, config, nowMs, error);
    else if (type == u"once")
        ok = configureOnce(c, config, error);
    else
        *error = QStringLiteral("unknown alarm type '%1'").arg(type);
    if (!ok)
        return std::nullopt;

    // The first fire must come before the stop date (PROTOCOL.md 4.5).
    if (config.contains(QLatin1String("stopDate")) && AlarmSchedule(config).next(nowMs) == 0) {
        *error = QStringLiteral("the next scheduled trigger fire is after the stop date");
        return std::nullopt;
    }
    return config;
}

AlarmSchedule::AlarmSchedule(const QJsonObject &config)
    : m_config(config)
{
    if (type() != u"alarm")
        return;
    m_cron = CronSchedule::parse(config.value(QLatin1String("cron")).toString());
    m_zone = config.contains(QLatin1String("timezone"))
                 ? QTimeZone(config.value(QLatin1String("timezone")).toString().toUtf8())
                 : QTimeZone::systemTimeZone();
}

QString AlarmSchedule::type() const
{
    return m_config.value(QLatin1String("type")).toString();
}

qint64 AlarmSchedule::next(qint64 after) const
{
    const QString kind = type();
    const qint64 start = m_config.value(QLatin1String("startDate")).toInteger();
    const qint64 stop = m_config.value(QLatin1String("stopDate")).toInteger();
    qint64 due = 0;
    if (kind == u"once") {
        const qint64 date = m_config.value(QLatin1String("date")).toInteger();
        due = date > after ? date : 0;
    } else if (kind == u"interval") {
        const qint64 period = m_config.value(QLatin1String("minutes")).toInteger() * 60000;
        if (period <= 0)
            return 0;
        due = after < start ? start : start + ((after - start) / period + 1) * period;
    } else if (m_cron) {
        const qint64 from = qMax(after, start > 0 ? start - 1 : after);
        const auto next = m_cron->next(QDateTime::fromMSecsSinceEpoch(from, Qt::UTC), m_zone);
        due = next ? next->toMSecsSinceEpoch() : 0;
    }
    if (due != 0 && stop > 0 && due > stop)
        return 0;
    return due;
}

QList<qint64> AlarmSchedule::nextFires(qint64 after, int count) const
{
    const int maxTriggers = m_config.value(QLatin1String("maxTriggers")).toInt(-1);
    if (maxTriggers >= 0)
        count = qMin(count, maxTriggers);
    QList<qint64> fires;
    for (qint64 t = next(after); t != 0 && fires.size() < count; t = next(t)) {
        fires.append(t);
        if (type() == u"once")
            break;
    }
    return fires;
}

} // namespace Feedscope
