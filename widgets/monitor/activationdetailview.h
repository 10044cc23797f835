// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "entities.h"

#include <QPointer>
#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTabWidget;

namespace Feedscope {
class ActivationTableModel;
}

namespace Feedscope::Ui {

class JsonTreeView;

// The monitor's detail pane: one activation's summary, its payload or result and annotations as
// JSON trees, its logs, and its causality chain — for a trigger activation each rule's outcome
// (parsed from the trigger's logs) linked to the action activation it caused; for an action the
// trigger activation and rule that caused it (found among the trigger rows before it); for a
// sequence its components in order, for a component its sequence. Links emit
// navigateRequested(); the monitor selects that row, or shows a record the table no longer has.
class ActivationDetailView : public QWidget
{
    Q_OBJECT

public:
    explicit ActivationDetailView(ActivationTableModel *rows, QWidget *parent = nullptr);

    // Shows the row's full record (fetched on demand; the summary is shown while it loads).
    void showRow(int sourceRow);
    void showRecord(const ActivationRecord &record, int sourceRow = -1);
    void showError(const QString &message);
    void clear();

    QString shownId() const { return m_record.activationId; }
    const ActivationRecord &record() const { return m_record; }
    // The causality chain as shown ("" while it is being worked out).
    QLabel *causality() const { return m_causality; }
    QLabel *summary() const { return m_summary; }
    QPushButton *replayButton() const { return m_replay; }
    QPushButton *whyButton() const { return m_why; }
    JsonTreeView *resultTree() const { return m_result; }
    QPlainTextEdit *logsView() const { return m_logs; }

Q_SIGNALS:
    void navigateRequested(const QString &activationId);
    void replayRequested(const Feedscope::ActivationRecord &triggerActivation);
    // "Why didn't my action run?" for this trigger (and this event of it).
    void whyRequested(const QString &trigger, const QString &activationId);

private:
    void showSummary();
    void showCausality();
    void findCause(int actionRow, quint64 generation);
    void tryCandidate(QStringList candidates, quint64 generation);
    QString linkTo(const QString &id, const QString &label) const;
    QString rowStatusText(const QString &id) const;

    ActivationTableModel *m_rows;
    ActivationRecord m_record;
    int m_row = -1;           // its source row, -1 when not in the table
    quint64 m_generation = 0; // bumped per shown record: late fetches for an older one are dropped
    QLabel *m_summary;
    QLabel *m_causality;
    QTabWidget *m_tabs;
    JsonTreeView *m_result;
    JsonTreeView *m_annotations;
    QPlainTextEdit *m_logs;
    QPlainTextEdit *m_raw;
    QPushButton *m_replay;
    QPushButton *m_why;
    QPushButton *m_copyId;
};

} // namespace Feedscope::Ui
