// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "blueprintdeployer.h"
#include "operation.h"

#include <QTextBrowser>

namespace Feedscope::Ui {

// A step report where the user did the work (STYLE.md 14, 16): each step with its outcome,
// what failed and why, what was rolled back, warnings; progress while it runs.
class ReportView : public QTextBrowser
{
    Q_OBJECT

public:
    explicit ReportView(QWidget *parent = nullptr);

    void showProgress(const QString &title, int step, int count, const QString &text);
    void showReport(const OperationReport &report);
    void showDeployReport(const QString &title, const DeployReport &report);
    // Plain text of what is shown (for tests and the clipboard).
    QString reportText() const { return toPlainText(); }
};

} // namespace Feedscope::Ui
