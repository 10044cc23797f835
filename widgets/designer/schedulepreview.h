// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QWidget>

class QListWidget;

namespace Feedscope::Ui {

class MessageBar;

// The next ten fire times of an alarms-feed configuration, as the user types it: computed by
// AlarmSchedule, the code the engine's alarms provider fires by, so what it shows is what will
// happen. A configuration the provider would refuse shows the provider's own message.
class SchedulePreview : public QWidget
{
    Q_OBJECT

public:
    static constexpr int shownFires = 10;

    explicit SchedulePreview(QWidget *parent = nullptr);

    // Alarms feed parameters (cron, timezone, minutes, date, ...), and the alarm type when the
    // feed action implies it ("alarm", "interval", "once").
    void setParameters(const QJsonObject &parameters, const QString &type = {});

    bool isValid() const { return m_error.isEmpty(); }
    QString errorText() const { return m_error; }
    QList<QDateTime> fires() const { return m_fires; }
    QListWidget *list() const { return m_list; }

Q_SIGNALS:
    void validityChanged(bool valid);

private:
    QListWidget *m_list;
    MessageBar *m_message;
    QString m_error;
    QList<QDateTime> m_fires;
};

} // namespace Feedscope::Ui
