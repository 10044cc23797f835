// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "cronschedule.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QTimeZone>

#include <optional>

namespace Feedscope {

// The schedule of one feed of the alarms package (PROTOCOL.md 4.3-4.5): `alarm` (cron with an
// optional seconds field, timezone, startDate, stopDate, strict, maxTriggers), `interval`
// (minutes, startDate, stopDate) and `once` (date, deleteAfterFire). One piece of code for both
// sides: the engine's alarms provider validates feed parameters and fires by it, and the Feed
// Designer previews the next fire times with it, so the preview is what will happen.
class AlarmSchedule
{
public:
    // Interval alarms start this long after creation when no startDate is given.
    static constexpr qint64 defaultIntervalDelayMs = 30000;

    // Checks the parameters of a feed CREATE (or the merged ones of an UPDATE) as the provider
    // does and returns the configuration it stores: type, payload, dates as epoch ms and the
    // type's own fields. Dates must lie after `nowMs` unless `_restored` is set (a stored
    // configuration checked again after a restart).
    static std::optional<QJsonObject>
    configure(const QJsonObject &parameters, qint64 nowMs, QString *error);

    AlarmSchedule() = default;
    // A configuration that configure() returned.
    explicit AlarmSchedule(const QJsonObject &config);

    const QJsonObject &config() const { return m_config; }
    QString type() const; // "alarm", "interval" or "once"

    // The first fire time (epoch ms) strictly after `afterMs`, or 0 when there is none.
    qint64 next(qint64 afterMs) const;
    // Up to `count` fire times after `afterMs`, honouring stopDate and maxTriggers.
    QList<qint64> nextFires(qint64 afterMs, int count) const;

private:
    QJsonObject m_config;
    std::optional<CronSchedule> m_cron;
    QTimeZone m_zone;
};

} // namespace Feedscope
