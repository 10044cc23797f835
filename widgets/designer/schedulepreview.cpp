// SPDX-License-Identifier: GPL-3.0-or-later
#include "schedulepreview.h"

#include "alarmschedule.h"
#include "common/messagebar.h"

#include <QLabel>
#include <QListWidget>
#include <QTimeZone>
#include <QVBoxLayout>

namespace Feedscope::Ui {

namespace {

// "in 3 s", "in 2 min", "in 5 h", "in 4 days": how far away a fire is, at a glance.
QString distance(qint64 ms)
{
    const qint64 s = ms / 1000;
    if (s < 90)
        return QObject::tr("in %1 s").arg(qMax<qint64>(s, 0));
    if (s < 90 * 60)
        return QObject::tr("in %1 min").arg(s / 60);
    if (s < 36 * 3600)
        return QObject::tr("in %1 h").arg(s / 3600);
    return QObject::tr("in %1 days").arg(s / 86400);
}

} // namespace

SchedulePreview::SchedulePreview(QWidget *parent)
    : QWidget(parent)
    , m_list(new QListWidget(this))
    , m_message(new MessageBar(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *title = new QLabel(tr("Next %1 fire times (your local time, %2):")
                                 .arg(shownFires)
                                 .arg(QTimeZone::systemTimeZone().displayName(
                                     QDateTime::currentDateTime(), QTimeZone::ShortName)),
                             this);
    m_list->setObjectName(QStringLiteral("scheduleFires"));
    m_list->setAccessibleName(tr("Next fire times"));
    m_list->setSelectionMode(QAbstractItemView::NoSelection);
    m_list->setFocusPolicy(Qt::TabFocus);
    // Exactly the ten rows: a taller list would only push the form apart.
    const int rows = m_list->fontMetrics().lineSpacing() * shownFires;
    m_list->setFixedHeight(rows + 2 * m_list->frameWidth() + 6);
    m_message->setObjectName(QStringLiteral("scheduleMessage"));
    m_message->setAccessibleName(tr("Schedule problem"));
    title->setBuddy(m_list);
    layout->addWidget(title);
    layout->addWidget(m_list, 1);
    layout->addWidget(m_message);
}

void SchedulePreview::setParameters(const QJsonObject &parameters, const QString &type)
{
    const bool wasValid = isValid();
    QJsonObject params = parameters;
    if (!type.isEmpty())
        params.insert(QStringLiteral("type"), type);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QString error;
    const auto config = AlarmSchedule::configure(params, now, &error);
    m_fires.clear();
    m_list->clear();
    m_error = config ? QString() : error;
    if (config) {
        m_message->clearMessage();
        for (qint64 t : AlarmSchedule(*config).nextFires(now, shownFires)) {
            const QDateTime when = QDateTime::fromMSecsSinceEpoch(t);
            m_fires.append(when);
            m_list->addItem(QStringLiteral("%1   %2").arg(
                QLocale().toString(when, QStringLiteral("ddd d MMM yyyy  HH:mm:ss")),
                distance(t - now)));
        }
        if (m_fires.isEmpty())
            m_message->showWarning(tr("This schedule never fires."));
    } else {
        m_message->showError(error);
    }
    if (wasValid != isValid())
        Q_EMIT validityChanged(isValid());
}

} // namespace Feedscope::Ui
