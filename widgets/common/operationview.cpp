// SPDX-License-Identifier: GPL-3.0-or-later
#include "operationview.h"

#include "reportview.h"

#include <QHBoxLayout>
#include <QPushButton>
#include <QVBoxLayout>

namespace Feedscope::Ui {

OperationView::OperationView(QWidget *parent)
    : QWidget(parent)
    , m_report(new ReportView(this))
    , m_cancel(new QPushButton(tr("Cancel"), this))
    , m_close(new QPushButton(tr("Close report"), this))
{
    setObjectName(QStringLiteral("operationView"));
    m_report->setObjectName(QStringLiteral("operationReport"));
    m_report->setAccessibleName(tr("Report of the operation"));
    m_cancel->setObjectName(QStringLiteral("cancelOperationButton"));
    m_cancel->setAccessibleName(tr("Cancel the operation"));
    m_cancel->setToolTip(tr("Stop after the current step and undo what was done"));
    m_close->setObjectName(QStringLiteral("closeReportButton"));
    m_close->setAccessibleName(tr("Close the report"));
    auto *buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(m_cancel);
    buttons->addWidget(m_close);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_report, 1);
    layout->addLayout(buttons);
    m_cancel->hide();
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        if (m_operation) {
            m_operation->cancel();
            m_cancel->setEnabled(false);
        }
    });
    connect(m_close, &QPushButton::clicked, this, &QWidget::hide);
}

void OperationView::track(const QString &title, Operation *operation)
{
    // A new operation replaces the one shown: the old one's progress must not overwrite it.
    if (m_operation)
        m_operation->disconnect(this);
    m_operation = operation;
    show();
    m_cancel->show();
    m_cancel->setEnabled(true);
    m_close->setEnabled(false);
    m_report->showProgress(title, 0, operation->stepCount(), operation->stepNames().value(0));
    connect(operation,
            &Operation::progress,
            this,
            [this, title](int step, int count, const QString &text) {
                m_report->showProgress(title, step, count, text);
            });
    connect(operation, &Operation::finished, this, [this](const OperationReport &report) {
        m_report->showReport(report);
        m_cancel->hide();
        m_close->setEnabled(true);
        Q_EMIT finished(report);
    });
}

} // namespace Feedscope::Ui
