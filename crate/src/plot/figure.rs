//! A plotly chart that shows itself in a notebook (text, HTML and plotly JSON) and writes itself
//! into a standalone HTML page, with plotly.js embedded so nothing is fetched from the network.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

use plotly::Plot;

/// Set in the process environment once plotly.js has been sent to the notebook front end.
/// Not a Rust static: evcxr links every cell separately, so each cell has its own copy of
/// this crate's statics, while the environment belongs to the one kernel process.
const PLOTLY_SENT_VAR: &str = "RUSTYSTATS_PLOTLY_JS_SENT";
/// Figures shown so far by this copy of the crate (part of each figure's element id).
static FIGURE_COUNT: AtomicU64 = AtomicU64::new(0);

/// Whether plotly.js still has to be sent, marking it sent.
fn plotly_js_needed() -> bool {
    if std::env::var_os(PLOTLY_SENT_VAR).is_some() {
        return false;
    }
    std::env::set_var(PLOTLY_SENT_VAR, "1");
    true
}

/// A chart: a plotly [`Plot`] with a title and a height in pixels.
///
/// In a notebook the last expression of a cell shows the chart (`evcxr_display`): the first
/// figure of a kernel carries plotly.js, later ones reuse it. [`Figure::to_standalone_html`]
/// writes a page that opens offline.
///
/// ```
/// use rustystats::plot::Figure;
/// use rustystats::plot::plotly::{Plot, Scatter};
///
/// let mut plot = Plot::new();
/// plot.add_trace(Scatter::new(vec![1.0, 2.0], vec![3.0, 4.0]).name("line"));
/// let fig = Figure::new("A line", plot);
/// assert!(fig.to_json().contains("\"line\""));
/// assert!(fig.to_standalone_html().contains("Plotly.newPlot"));
/// ```
#[derive(Clone)]
pub struct Figure {
    title: String,
    plot: Plot,
    height: u32,
}

impl std::fmt::Debug for Figure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Figure({:?}, {} traces)",
            self.title,
            self.plot.data().len()
        )
    }
}

impl std::fmt::Display for Figure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Figure: {} ({} traces; shown as a chart in a notebook or HTML page)",
            self.title,
            self.plot.data().len()
        )
    }
}

impl Figure {
    /// A figure from a plotly plot; the title is also used in the text form.
    pub fn new(title: impl Into<String>, plot: Plot) -> Figure {
        Figure {
            title: title.into(),
            plot,
            height: 460,
        }
    }

    /// Sets the height in pixels (default 460).
    pub fn height(mut self, pixels: u32) -> Figure {
        self.height = pixels;
        self
    }

    /// The title.
    pub fn title(&self) -> &str {
        &self.title
    }

    /// The plotly plot, to change or extend with plotly's own API.
    pub fn plot(&self) -> &Plot {
        &self.plot
    }

    /// The plotly plot, mutable.
    pub fn plot_mut(&mut self) -> &mut Plot {
        &mut self.plot
    }

    /// The figure as plotly JSON (`{"data": [...], "layout": {...}}`).
    pub fn to_json(&self) -> String {
        self.plot.to_json()
    }

    /// An HTML fragment that draws the figure once plotly.js is on the page (the chart is
    /// queued until then). `id` names the chart's element.
    pub fn to_html_fragment(&self, id: &str) -> String {
        // `</` inside a script would end it early; JSON allows `<\/`.
        let json = self.to_json().replace("</", "<\\/");
        format!(
            r#"<div class="rustystats-figure" style="width:100%;">
<div id="{id}" style="width:100%;height:{h}px;"></div>
<script type="text/javascript">
(function () {{
  var fig = {json};
  var config = {{responsive: true, displaylogo: false}};
  function draw() {{ window.Plotly.newPlot("{id}", fig.data, fig.layout || {{}}, config); }}
  if (window.Plotly) {{ draw(); }} else {{ (window.__rustystatsQueue = window.__rustystatsQueue || []).push(draw); }}
}})();
</script>
</div>"#,
            h = self.height
        )
    }

    /// A whole HTML page with plotly.js embedded: opens offline in any browser.
    pub fn to_standalone_html(&self) -> String {
        page(&escape(&self.title), &self.to_html_fragment("figure-1"))
    }

    /// The HTML a notebook shows for the figure: the chart under a fresh element id, preceded
    /// by plotly.js the first time in this kernel process.
    pub fn notebook_html(&self) -> String {
        let n = FIGURE_COUNT.fetch_add(1, Ordering::Relaxed);
        let id = format!("rustystats-figure-{}-{n}", unique_stamp());
        let mut html = String::new();
        if plotly_js_needed() {
            html.push_str(&plotly_js_tags());
        }
        html.push_str(&self.to_html_fragment(&id));
        html
    }
}

/// A stamp that differs between kernel runs, so element ids of old outputs never clash.
fn unique_stamp() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!("{:x}{:x}", nanos, std::process::id())
}

/// plotly.js (the copy shipped inside the plotly crate), without the MathJax bundle that
/// crate adds.
pub fn plotly_js() -> &'static str {
    static JS: OnceLock<String> = OnceLock::new();
    JS.get_or_init(|| {
        let tags = Plot::offline_js_sources();
        let start = tags.find('>').map_or(0, |i| i + 1);
        let end = tags[start..]
            .find("</script>")
            .map_or(tags.len(), |i| start + i);
        tags[start..end].to_string()
    })
}

/// `<script>` tags that put plotly.js on a page and draw any queued figures. AMD loaders
/// (classic Notebook's require.js) are hidden while plotly.js loads so it sets `window.Plotly`.
pub fn plotly_js_tags() -> String {
    format!(
        "<script type=\"text/javascript\">window.__rustystatsDefine = window.define; window.define = undefined;</script>\n\
         <script type=\"text/javascript\">{}</script>\n\
         <script type=\"text/javascript\">window.define = window.__rustystatsDefine;\n\
         (window.__rustystatsQueue || []).forEach(function (f) {{ f(); }}); window.__rustystatsQueue = [];</script>\n",
        plotly_js()
    )
}

/// A standalone HTML page: `body` after plotly.js, with the report style sheet.
pub fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n\
         <style>body {{ font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1100px; padding: 0 1em; }} \
         h2 {{ font-size: 1.15em; margin-top: 1.8em; border-bottom: 1px solid rgba(127,127,127,0.4); }} \
         .rs-missing {{ color: #a15c00; }}</style>\n\
         {}</head>\n<body>\n{body}\n</body>\n</html>\n",
        plotly_js_tags()
    )
}

/// Escapes text for HTML.
fn escape(s: &str) -> String {
    crate::report::escape_html(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use plotly::Scatter;

    #[test]
    fn plotly_js_is_the_library_alone() {
        let js = plotly_js();
        assert!(js.len() > 1_000_000, "plotly.js should be embedded");
        assert!(js.contains("newPlot"));
        assert!(!js.contains("MathJax = "), "the MathJax bundle is left out");
        assert!(!js.contains("</script>"));
    }

    #[test]
    fn plotly_js_is_sent_once_per_process() {
        std::env::remove_var(PLOTLY_SENT_VAR);
        assert!(plotly_js_needed());
        assert!(!plotly_js_needed());
        assert_eq!(std::env::var(PLOTLY_SENT_VAR).as_deref(), Ok("1"));
    }

    #[test]
    fn fragment_escapes_script_end_in_data() {
        let mut plot = Plot::new();
        plot.add_trace(Scatter::new(vec![1], vec![2]).name("</script><b>"));
        let html = Figure::new("t", plot).to_html_fragment("x1");
        assert_eq!(html.matches("</script>").count(), 1);
        assert!(html.contains("<\\/script><b>"));
        assert!(html.contains("id=\"x1\""));
    }

    #[test]
    fn standalone_page_carries_plotly_once() {
        let mut plot = Plot::new();
        plot.add_trace(Scatter::new(vec![1.0, 2.0], vec![2.0, 1.0]));
        let page = Figure::new("A <title>", plot).to_standalone_html();
        assert_eq!(page.matches("class=\"rustystats-figure\"").count(), 1);
        assert!(page.contains("<title>A &lt;title&gt;</title>"));
        assert!(page.starts_with("<!DOCTYPE html>"));
    }
}
