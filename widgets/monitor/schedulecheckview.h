// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "schedulecheck.h"

#include <QPointer>
#include <QWidget>

class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QDoubleSpinBox;
class QTableWidget;

namespace Feedscope {
class Session;
} // namespace Feedscope

namespace Feedscope::Ui {

class MessageBar;

// The schedule check of an alarm trigger (issue G): expected fire times from its feed's
// configuration next to the trigger activations observed, each row coloured by its status (on
// time, late by how much, missed, duplicate, unexpected), and one summary line: "12 expected,
// 11 on time, 1 late (7.2 s), 0 missed, 0 duplicate". The window (the last 10 min to 2 h) and the
// tolerance are set in place. Double-clicking an observed fire asks to open its activation.
class ScheduleCheckView : public QWidget
{
    Q_OBJECT

public:
    explicit ScheduleCheckView(QWidget *parent = nullptr);

    void setSession(Session *session);
    // "t" or "/ns/t"; does not start a check.
    void setTrigger(const QString &trigger);
    QString trigger() const;
    void check();
    bool isChecking() const { return m_check && m_check->isRunning(); }

    const ScheduleCheckResult &result() const { return m_result; }
    QTableWidget *table() const { return m_table; }
    QLabel *summaryLabel() const { return m_summary; }
    QPushButton *checkButton() const { return m_run; }

Q_SIGNALS:
    void openActivationRequested(const QString &id);

private:
    void showResult(const ScheduleCheckResult &result);

    QPointer<Session> m_session;
    ScheduleCheck *m_check = nullptr;
    ScheduleCheckResult m_result;

    QComboBox *m_trigger;
    QComboBox *m_window;
    QDoubleSpinBox *m_tolerance;
    QPushButton *m_run;
    QProgressBar *m_progress;
    QLabel *m_summary;
    MessageBar *m_message;
    QTableWidget *m_table;
};

} // namespace Feedscope::Ui
