// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "rundiagnosis.h"

#include <QHash>
#include <QList>
#include <QPointer>
#include <QWidget>

#include <optional>

class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QToolButton;
class QTreeWidget;

namespace Feedscope {
class Session;
} // namespace Feedscope

namespace Feedscope::Ui {

class MessageBar;

// "Why didn't my action run?" (issue G) as a self-contained panel: pick a trigger (or receive
// one, or one event of it, from the monitor), press Check, and read the facts checked — each
// with an ok / problem / unknown icon —, the answer in one bold sentence and a button for the
// fix. API fixes (enable the rule, re-create or unpause the feed) run here and the check runs
// again; the others are signals for the app (open the activation, create a rule or action).
//
// Feed it the monitor's records with ingest(): the 204 and 429 fires Feedscope recorded exist
// only there. It keeps the trigger records of the last ten minutes, bounded.
class WhyPanel : public QWidget
{
    Q_OBJECT

public:
    explicit WhyPanel(QWidget *parent = nullptr);
    ~WhyPanel() override;

    void setSession(Session *session);
    // New records of the monitor's stream (ActivationStream::activations); a trigger summary
    // followed by its full record (same id) upgrades it.
    void ingest(const QList<ActivationRecord> &records);

    // Chooses the trigger ("t" or "/ns/t") and forgets a chosen event.
    void setTrigger(const QString &trigger);
    // Chooses one event: a trigger activation or a synthetic 204 / 429 row (its trigger too).
    void setEvent(const ActivationRecord &event);
    void clearEvent();
    // Runs the check for the chosen trigger (and event); nothing without a trigger.
    void check();
    void cancel();
    bool isChecking() const;

    QString trigger() const;
    const Diagnosis &diagnosis() const { return m_diagnosis; }
    QLabel *answerLabel() const { return m_answer; }
    QPushButton *checkButton() const { return m_check; }
    QPushButton *fixButton() const { return m_fix; }
    QTreeWidget *factsView() const { return m_facts; }

Q_SIGNALS:
    void openActivationRequested(const QString &id);
    void createRuleRequested(const QString &trigger);  // "/ns/t"
    void createActionRequested(const QString &action); // "/ns/pkg/a"
    void statusMessage(const QString &text);

private:
    void refillTriggers();
    void showDiagnosis(const Diagnosis &diagnosis);
    void setBusy(bool busy, const QString &text = {});
    void runFix();
    void prune();

    QPointer<Session> m_session;
    RunDiagnosis *m_runner = nullptr;
    QList<ActivationRecord> m_seen; // trigger records only, oldest first
    QHash<QString, qsizetype> m_seenIndex; // id → m_seenBase + its index in m_seen
    qsizetype m_seenBase = 0;              // how many were dropped from the front
    std::optional<ActivationRecord> m_event;
    Diagnosis m_diagnosis;
    bool m_fixing = false;

    QComboBox *m_trigger;
    QLabel *m_eventLabel;
    QToolButton *m_clearEvent;
    QPushButton *m_check;
    QPushButton *m_cancel;
    QProgressBar *m_progress;
    QLabel *m_progressText;
    QLabel *m_answer;
    QPushButton *m_fix;
    QTreeWidget *m_facts;
    MessageBar *m_message;

    static constexpr qsizetype keptRecords = 5000;
    static constexpr qint64 keptMs = 10 * 60 * 1000;
};

} // namespace Feedscope::Ui
