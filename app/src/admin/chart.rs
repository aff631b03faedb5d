//! A line chart drawn as SVG on the server (no script, no third party), with the figures
//! also given as a table for screen readers and for anyone who wants the numbers.

use super::views::Point;
use leptos::prelude::*;
use shop_types::{Currency, Money};

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 220.0;
const LEFT: f64 = 64.0;
const BOTTOM: f64 = 28.0;
const TOP: f64 = 12.0;

/// Where each value sits in the drawing area.
fn polyline(values: &[i64], max: i64) -> String {
    let n = values.len().max(2) - 1;
    let plot_w = WIDTH - LEFT - 8.0;
    let plot_h = HEIGHT - BOTTOM - TOP;
    values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let x = LEFT + plot_w * i as f64 / n as f64;
            let y = TOP + plot_h - plot_h * (*v as f64) / (max.max(1) as f64);
            format!("{x:.1},{y:.1}")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Revenue per bucket this period (solid) against the period before (dashed).
#[component]
pub fn LineChart(points: Vec<Point>, currency: Currency, title: String) -> impl IntoView {
    let now: Vec<i64> = points.iter().map(|p| p.revenue_minor).collect();
    let before: Vec<i64> = points.iter().map(|p| p.previous_minor).collect();
    let max = now.iter().chain(&before).copied().max().unwrap_or(0);
    let total_now: i64 = now.iter().sum();
    let total_before: i64 = before.iter().sum();
    let description = format!(
        "{} this period against {} the period before.",
        Money::new(total_now, currency),
        Money::new(total_before, currency)
    );
    let x_labels = {
        let n = points.len();
        let plot_w = WIDTH - LEFT - 8.0;
        [0, n / 2, n.saturating_sub(1)]
            .into_iter()
            .filter(|i| *i < n)
            .map(|i| {
                let x = LEFT + plot_w * i as f64 / (n.max(2) - 1) as f64;
                let anchor = if i == 0 { "start" } else if i + 1 == n { "end" } else { "middle" };
                view! { <text x=format!("{x:.1}") y=format!("{:.1}", HEIGHT - 8.0) text-anchor=anchor>{points[i].label.clone()}</text> }
            })
            .collect_view()
    };
    let grid = [0.0, 0.5, 1.0]
        .into_iter()
        .map(|f| {
            let y = TOP + (HEIGHT - BOTTOM - TOP) * (1.0 - f);
            let value = Money::new((max as f64 * f) as i64, currency).to_string();
            view! {
                <line x1=LEFT.to_string() x2=(WIDTH - 8.0).to_string() y1=format!("{y:.1}") y2=format!("{y:.1}") class="chart-grid"/>
                <text x=(LEFT - 6.0).to_string() y=format!("{:.1}", y + 4.0) text-anchor="end">{value}</text>
            }
        })
        .collect_view();
    let rows = points
        .iter()
        .map(|p| {
            view! {
                <tr>
                    <th scope="row">{p.label.clone()}</th>
                    <td class="num">{Money::new(p.revenue_minor, currency).to_string()}</td>
                    <td class="num">{Money::new(p.previous_minor, currency).to_string()}</td>
                    <td class="num">{p.orders}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <figure class="chart">
            <svg viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-labelledby="chart-title chart-desc" class="line-chart">
                <title id="chart-title">{title.clone()}</title>
                <desc id="chart-desc">{description.clone()}</desc>
                {grid}
                <polyline points=polyline(&before, max) class="chart-line previous"/>
                <polyline points=polyline(&now, max) class="chart-line current"/>
                {x_labels}
            </svg>
            <figcaption>
                <span class="legend current">"This period"</span>
                " "
                <span class="legend previous">"Period before"</span>
            </figcaption>
            <details>
                <summary>"Show the figures as a table"</summary>
                <table class="data-table">
                    <caption>{title}</caption>
                    <thead><tr><th scope="col">"When"</th><th scope="col" class="num">"Revenue"</th><th scope="col" class="num">"Period before"</th><th scope="col" class="num">"Orders"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </details>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_highest_value_touches_the_top_and_zero_the_bottom() {
        let line = polyline(&[0, 50, 100], 100);
        let ys: Vec<f64> = line
            .split(' ')
            .map(|p| p.split(',').nth(1).unwrap().parse().unwrap())
            .collect();
        assert_eq!(ys[0], HEIGHT - BOTTOM);
        assert_eq!(ys[2], TOP);
        // Nothing sold at all still draws a flat line at the bottom, not a division by zero.
        assert!(polyline(&[0, 0], 0).contains(&format!("{:.1}", HEIGHT - BOTTOM)));
    }
}
