// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "blueprints.h"

#include <QWizardPage>

class QLabel;
class QPlainTextEdit;
class QTabWidget;
class QTreeWidget;

namespace Feedscope::Ui {

class DesignerInputsPage;

// What a deploy will do, before anything is sent: every entity that will be created, every HTTP
// request in order, the equivalent `wsk` commands and the wskdeploy manifest — each copyable,
// the manifest also savable as a project directory. Its Next button deploys.
class DesignerReviewPage : public QWizardPage
{
    Q_OBJECT

public:
    explicit DesignerReviewPage(DesignerInputsPage *inputs, QWidget *parent = nullptr);

    void initializePage() override;

    const Blueprint &blueprint() const { return m_blueprint; }
    const DeployPlan &plan() const { return m_plan; }

    QTreeWidget *entityList() const { return m_entities; }
    QPlainTextEdit *requestsView() const { return m_requests; }
    QPlainTextEdit *wskView() const { return m_wsk; }
    QPlainTextEdit *manifestView() const { return m_manifest; }
    QTabWidget *tabs() const { return m_tabs; }

private:
    void copyCurrent();
    void saveProject();

    DesignerInputsPage *m_inputs;
    Blueprint m_blueprint;
    DeployPlan m_plan;
    QTabWidget *m_tabs;
    QTreeWidget *m_entities;
    QPlainTextEdit *m_requests;
    QPlainTextEdit *m_wsk;
    QPlainTextEdit *m_manifest;
    QLabel *m_notes;
};

} // namespace Feedscope::Ui
