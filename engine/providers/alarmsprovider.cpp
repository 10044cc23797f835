// SPDX-License-Identifier: GPL-3.0-or-later
#include "alarmsprovider.h"

#include "core/ids.h"

#include <QDateTime>
#include <QJsonArray>

#include <algorithm>

namespace Feedscope::Engine {

namespace {

// interval alarms start this long after creation when no startDate is given (PROTOCOL.md 4.5).
constexpr qint64 defaultIntervalDelayMs = 30000;

// A date parameter: epoch milliseconds or an ISO-8601 string.
std::optional<qint64> parseDate(const QJsonValue &value)
{
    if (value.isDouble())
        return qint64(value.toDouble());
    if (value.isString()) {
        bool ok = false;
        const qint64 ms = value.toString().toLongLong(&ok);
        if (ok)
            return ms;
        QDateTime t = QDateTime::fromString(value.toString(), Qt::ISODateWithMs);
        if (!t.isValid())
            t = QDateTime::fromString(value.toString(), Qt::ISODate);
        if (t.isValid())
            return t.toMSecsSinceEpoch();
    }
    return std::nullopt;
}

QString text(const QJsonValue &value)
{
    return value.isString() ? value.toString() : QString::number(value.toDouble(), 'g', 16);
}

} // namespace

AlarmsProvider::AlarmsProvider(FeedHost &host, QObject *parent)
    : Provider(host, parent)
{
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &AlarmsProvider::onTimer);
}

std::optional<QJsonObject> AlarmsProvider::validate(QJsonObject c, QString *error) const
{
    const qint64 now = nowMs();
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
        if (*ms <= now && !c.value(QLatin1String("_restored")).toBool()) {
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

    if (type == u"alarm") {
        const QString cron = c.value(QLatin1String("cron")).toString();
        if (cron.isEmpty()) {
            *error = QStringLiteral("alarms trigger feed is missing the cron parameter");
            return std::nullopt;
        }
        if (!CronSchedule::parse(cron, error))
            return std::nullopt;
        config.insert(QStringLiteral("cron"), cron);
        const QString timezone = c.value(QLatin1String("timezone")).toString();
        if (!timezone.isEmpty()) {
            if (!QTimeZone(timezone.toUtf8()).isValid()) {
                *error = QStringLiteral("Invalid timezone.");
                return std::nullopt;
            }
            config.insert(QStringLiteral("timezone"), timezone);
        }
        const QJsonValue strict = c.value(QLatin1String("strict"));
        config.insert(QStringLiteral("strict"),
                      strict.isBool() ? strict.toBool() : strict.toString() == u"true");
    } else if (type == u"interval") {
        const QJsonValue minutes = c.value(QLatin1String("minutes"));
        const double m = minutes.isString() ? minutes.toString().toDouble() : minutes.toDouble();
        if (m <= 0 || m != double(qint64(m))) {
            *error = QStringLiteral("interval trigger feed requires the minutes parameter as an "
                                    "integer greater than 0");
            return std::nullopt;
        }
        config.insert(QStringLiteral("minutes"), qint64(m));
        if (!config.contains(QLatin1String("startDate")))
            config.insert(QStringLiteral("startDate"), now + defaultIntervalDelayMs);
    } else if (type == u"once") {
        if (!config.contains(QLatin1String("date"))) {
            *error = QStringLiteral("once trigger feed is missing the date parameter");
            return std::nullopt;
        }
        QJsonValue deleteAfterFire = c.value(QLatin1String("deleteAfterFire"));
        if (deleteAfterFire.isString() && deleteAfterFire.toString() != u"rules")
            deleteAfterFire = deleteAfterFire.toString() == u"true";
        if (deleteAfterFire.isUndefined() || deleteAfterFire.isNull())
            deleteAfterFire = false;
        if (!deleteAfterFire.isBool() && deleteAfterFire != QJsonValue(QStringLiteral("rules"))) {
            *error = QStringLiteral("deleteAfterFire must be false, true or \"rules\"");
            return std::nullopt;
        }
        config.insert(QStringLiteral("deleteAfterFire"), deleteAfterFire);
    } else {
        *error = QStringLiteral("unknown alarm type '%1'").arg(type);
        return std::nullopt;
    }

    // The first fire must come before the stop date (PROTOCOL.md 4.5).
    Alarm probe;
    probe.feed.config = config;
    if (type == u"alarm") {
        probe.cron = CronSchedule::parse(config.value(QLatin1String("cron")).toString());
        probe.zone = config.contains(QLatin1String("timezone"))
                         ? QTimeZone(config.value(QLatin1String("timezone")).toString().toUtf8())
                         : QTimeZone::systemTimeZone();
    }
    if (config.contains(QLatin1String("stopDate")) && nextDue(probe, now) == 0) {
        *error = QStringLiteral("the next scheduled trigger fire is after the stop date");
        return std::nullopt;
    }
    return config;
}

void AlarmsProvider::configure(const QJsonObject &params, Configured done)
{
    QString error;
    auto config = validate(params, &error);
    done(config, error);
}

void AlarmsProvider::reconfigure(const QJsonObject &config,
                                 const QJsonObject &params,
                                 Configured done)
{
    static const QStringList updatable{QStringLiteral("trigger_payload"),
                                       QStringLiteral("date"),
                                       QStringLiteral("deleteAfterFire"),
                                       QStringLiteral("minutes"),
                                       QStringLiteral("cron"),
                                       QStringLiteral("timezone"),
                                       QStringLiteral("strict"),
                                       QStringLiteral("startDate"),
                                       QStringLiteral("stopDate")};
    QJsonObject merged = config;
    merged.insert(QStringLiteral("trigger_payload"), config.value(QLatin1String("payload")));
    // Stored dates may lie in the past by now; only newly given ones must be in the future.
    QJsonObject fresh;
    bool any = false;
    for (auto it = params.begin(); it != params.end(); ++it) {
        // The package's default trigger_payload "" comes with every feed call: like upstream,
        // an empty value is not an update.
        if (it.key() == u"trigger_payload"
            && (it.value().isNull() || it.value() == QJsonValue(QString())))
            continue;
        if (updatable.contains(it.key())) {
            any = true;
            merged.insert(it.key(), it.value());
            fresh.insert(it.key(), it.value());
        }
    }
    if (!any) {
        done(std::nullopt, QStringLiteral("no updatable parameters were specified"));
        return;
    }
    for (const char *field : {"startDate", "stopDate", "date"}) {
        if (!fresh.contains(QLatin1String(field)) && merged.contains(QLatin1String(field))
            && merged.value(QLatin1String(field)).toInteger() <= nowMs()) {
            merged.remove(QLatin1String(field)); // an elapsed start date no longer matters
        }
    }
    QString error;
    auto result = validate(merged, &error);
    done(result, error);
}

qint64 AlarmsProvider::nextDue(const Alarm &alarm, qint64 after) const
{
    const QJsonObject &c = alarm.feed.config;
    const QString type = c.value(QLatin1String("type")).toString();
    const qint64 start = c.value(QLatin1String("startDate")).toInteger();
    const qint64 stop = c.value(QLatin1String("stopDate")).toInteger();
    qint64 due = 0;
    if (type == u"once") {
        const qint64 date = c.value(QLatin1String("date")).toInteger();
        due = date > after ? date : 0;
    } else if (type == u"interval") {
        const qint64 period = c.value(QLatin1String("minutes")).toInteger() * 60000;
        due = after < start ? start : start + ((after - start) / period + 1) * period;
    } else if (alarm.cron) {
        const qint64 from = qMax(after, start > 0 ? start - 1 : after);
        const auto next
            = alarm.cron->next(QDateTime::fromMSecsSinceEpoch(from, Qt::UTC), alarm.zone);
        due = next ? next->toMSecsSinceEpoch() : 0;
    }
    if (due != 0 && stop > 0 && due > stop)
        return 0;
    return due;
}

void AlarmsProvider::start(const FeedRecord &feed)
{
    Alarm alarm;
    alarm.feed = feed;
    const QJsonObject &c = feed.config;
    if (c.value(QLatin1String("type")).toString() == u"alarm") {
        alarm.cron = CronSchedule::parse(c.value(QLatin1String("cron")).toString());
        alarm.zone = c.contains(QLatin1String("timezone"))
                         ? QTimeZone(c.value(QLatin1String("timezone")).toString().toUtf8())
                         : QTimeZone::systemTimeZone();
    }
    alarm.remaining = feed.state.contains(QLatin1String("remaining"))
                          ? feed.state.value(QLatin1String("remaining")).toInt()
                          : c.value(QLatin1String("maxTriggers")).toInt(-1);
    const qint64 due = nextDue(alarm, nowMs());
    if (due == 0) {
        // Nothing left to fire (a once-alarm whose date passed while the engine was down, or
        // a stop date reached): record why instead of silently idling.
        m_host.disable(feed,
                       QJsonObject{{QStringLiteral("kind"), QStringLiteral("AUTO")},
                                   {QStringLiteral("message"),
                                    QStringLiteral("Automatically disabled: the alarm has "
                                                   "no further fire time.")}});
        return;
    }
    alarm.due = due;
    m_alarms.insert(feed.trigger, alarm);
    schedule(feed.trigger, due);
}

void AlarmsProvider::stop(const QString &trigger)
{
    auto it = m_alarms.find(trigger);
    if (it == m_alarms.end())
        return;
    const auto range = m_queue.equal_range(it->due);
    for (auto q = range.first; q != range.second; ++q) {
        if (q->second == trigger) {
            m_queue.erase(q);
            break;
        }
    }
    m_alarms.erase(it);
    armTimer();
}

void AlarmsProvider::schedule(const QString &trigger, qint64 due)
{
    m_queue.emplace(due, trigger);
    armTimer();
}

void AlarmsProvider::armTimer()
{
    if (m_queue.empty()) {
        m_timer.stop();
        return;
    }
    m_timer.start(
        int(qBound<qint64>(0, m_queue.begin()->first - nowMs(), qint64(24) * 3600 * 1000)));
}

void AlarmsProvider::onTimer()
{
    const qint64 now = nowMs();
    QStringList dueNow;
    while (!m_queue.empty() && m_queue.begin()->first <= now) {
        dueNow.append(m_queue.begin()->second);
        m_queue.erase(m_queue.begin());
    }
    for (const QString &trigger : dueNow)
        fireAlarm(trigger);
    armTimer();
}

void AlarmsProvider::fireAlarm(const QString &trigger)
{
    auto it = m_alarms.find(trigger);
    if (it == m_alarms.end())
        return;
    Alarm &alarm = it.value();
    const qint64 scheduled = alarm.due;
    const FeedRecord feed = alarm.feed;
    const QString type = feed.config.value(QLatin1String("type")).toString();

    // Schedule the next occurrence before firing, so a slow fire does not shift the series.
    if (alarm.remaining > 0)
        --alarm.remaining;
    const qint64 next = type == u"once" || alarm.remaining == 0 ? 0 : nextDue(alarm, scheduled);
    if (next != 0) {
        alarm.due = next;
        schedule(trigger, next);
    } else {
        m_alarms.erase(it);
    }
    const int remaining = next != 0 ? alarm.remaining : 0;

    m_host.fire(
        feed,
        feed.config.value(QLatin1String("payload")).toObject(),
        [this, feed, scheduled, next, type, remaining](bool fired) {
            if (fired)
                recordLateness(nowMs() - scheduled);
            if (feed.config.contains(QLatin1String("maxTriggers")) && next != 0)
                m_host.saveState(feed, QJsonObject{{QStringLiteral("remaining"), remaining}});
            if (next != 0 || !fired)
                return;
            const QJsonValue deleteAfterFire = feed.config.value(QLatin1String("deleteAfterFire"));
            if (type == u"once" && deleteAfterFire != QJsonValue(false)) {
                m_host.deleteTrigger(feed, deleteAfterFire == QJsonValue(QStringLiteral("rules")));
                return;
            }
            m_host.disable(
                feed,
                QJsonObject{{QStringLiteral("kind"), QStringLiteral("AUTO")},
                            {QStringLiteral("message"),
                             type == u"once" ? QStringLiteral("Automatically disabled after "
                                                              "firing once")
                                             : QStringLiteral("Automatically disabled after "
                                                              "reaching the stop date or "
                                                              "maxTriggers")}});
        });
}

void AlarmsProvider::recordLateness(qint64 ms)
{
    ++m_fires;
    m_maxLateness = qMax(m_maxLateness, ms);
    if (m_lateness.size() < latenessKept) {
        m_lateness.push_back(ms);
        return;
    }
    m_lateness[m_latenessNext] = ms;
    m_latenessNext = (m_latenessNext + 1) % latenessKept;
}

void AlarmsProvider::resetStats()
{
    m_lateness.clear();
    m_latenessNext = 0;
    m_fires = 0;
    m_maxLateness = 0;
}

QJsonObject AlarmsProvider::stats() const
{
    // fires and max since the last reset; the percentiles over the last latenessKept fires.
    std::vector<qint64> sorted = m_lateness;
    std::sort(sorted.begin(), sorted.end());
    auto at = [&](double q) {
        return sorted.empty() ? 0 : sorted[size_t(q * double(sorted.size() - 1))];
    };
    return QJsonObject{{QStringLiteral("fires"), m_fires},
                       {QStringLiteral("p50"), at(0.5)},
                       {QStringLiteral("p99"), at(0.99)},
                       {QStringLiteral("max"), m_maxLateness},
                       {QStringLiteral("samples"), qint64(sorted.size())}};
}

} // namespace Feedscope::Engine
