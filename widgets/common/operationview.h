// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "operation.h"

#include <QPointer>
#include <QWidget>

class QPushButton;

namespace Feedscope::Ui {

class ReportView;

// A multi-step operation where the user started it (STYLE.md 14, 28): its progress step by step
// with a Cancel button while it runs (the operation then undoes what it did), and its report
// when it ends.
class OperationView : public QWidget
{
    Q_OBJECT

public:
    explicit OperationView(QWidget *parent = nullptr);

    void track(const QString &title, Operation *operation);
    bool isRunning() const { return m_operation && !m_operation->isFinished(); }

    ReportView *report() const { return m_report; }
    QPushButton *cancelButton() const { return m_cancel; }
    QPushButton *closeButton() const { return m_close; }

Q_SIGNALS:
    void finished(const Feedscope::OperationReport &report);

private:
    ReportView *m_report;
    QPushButton *m_cancel;
    QPushButton *m_close;
    QPointer<Operation> m_operation;
};

} // namespace Feedscope::Ui
