// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "conformancecheck.h"

#include <QPointer>
#include <QWidget>

#include <optional>

class QAction;
class QComboBox;
class QLabel;
class QProgressBar;
class QTreeWidget;

namespace Feedscope {
class Session;
}

namespace Feedscope::Ui {

class JsonField;
class MessageBar;

// "Check feed action": runs ConformanceCheck on any feed action (picked from the namespace's
// feed actions and actions, or typed) and shows its report card — each check PASS, WARN or
// FAIL with what was expected and what happened — with progress and Cancel while it runs.
// The sample parameters are prefilled from the action's declared parameters and kept once
// typed; a sample must make a valid CREATE (a far-away date keeps an alarm from firing).
class ConformancePanel : public QWidget
{
    Q_OBJECT

public:
    explicit ConformancePanel(QWidget *parent = nullptr);

    void setSession(Session *session);
    // Picks `feed` (as an annotation names it) and prefills its sample parameters.
    void setFeed(const QString &feed);

    QAction *runAction() const { return m_run; }
    QAction *cancelAction() const { return m_cancel; }
    QComboBox *feedCombo() const { return m_feedCombo; }
    JsonField *sampleField() const { return m_sample; }
    JsonField *updateField() const { return m_update; }
    QProgressBar *progressBar() const { return m_progress; }
    MessageBar *summary() const { return m_summary; }
    QTreeWidget *cardView() const { return m_card; }
    bool isRunning() const { return m_check && m_check->isRunning(); }
    const std::optional<ReportCard> &lastCard() const { return m_lastCard; }

Q_SIGNALS:
    void statusMessage(const QString &text);

private:
    void run();
    void showCard(const ReportCard &card);
    void prefillSample();
    void refreshFeedList();
    void updateActions();

    QPointer<Session> m_session;
    QPointer<ConformanceCheck> m_check;
    std::optional<ReportCard> m_lastCard;
    bool m_sampleEdited = false;
    QComboBox *m_feedCombo;
    JsonField *m_sample;
    JsonField *m_update;
    QProgressBar *m_progress;
    QLabel *m_stepLabel;
    MessageBar *m_summary;
    QTreeWidget *m_card;
    QAction *m_run = nullptr;
    QAction *m_cancel = nullptr;
};

} // namespace Feedscope::Ui
